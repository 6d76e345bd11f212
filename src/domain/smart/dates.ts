import type { GoalDraft, SmartContext, SmartFinding } from './check-smart.ts';
import { isBlank } from './wording.ts';

/** A calendar day in UTC; month is 1..12. */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
const THIRTY_DAY_MONTHS = new Set([4, 6, 9, 11]);

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return THIRTY_DAY_MONTHS.has(month) ? 30 : 31;
}

/** A real 'YYYY-MM-DD' calendar day, or null (2026-02-30 and 2026-1-5 are null). */
export function parseIsoDate(text: string): CalendarDate | null {
  const match = ISO_DATE.exec(String(text));
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Days since 1970-01-01 (UTC). NaN for dates a JavaScript Date cannot hold. */
export function toDayNumber({ year, month, day }: CalendarDate): number {
  const date = new Date(Date.UTC(2000, 0, 1));
  // setUTCFullYear keeps years 0..99 literal; Date.UTC alone would read 0050 as 1950.
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Adds calendar months, clamping to the month's last day: 2026-01-31 + 1 month is 2026-02-28. */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function isUnset(value: string | null): value is null {
  return value === null || isBlank(value);
}

/** The dates of a draft and its context, parsed once; unparseable ones are null here and reported in `invalid`. */
export interface ParsedDates {
  today: CalendarDate | null;
  dueOn: CalendarDate | null;
  programmeEndsOn: CalendarDate | null;
  milestones: (CalendarDate | null)[];
  invalid: SmartFinding[];
}

export function parseGoalDates(draft: GoalDraft, context: SmartContext): ParsedDates {
  const invalid: SmartFinding[] = [];
  const parse = (value: string, path: string, label: string): CalendarDate | null => {
    const date = parseIsoDate(value);
    if (!date) {
      invalid.push({ code: 'TIME_BOUND_INVALID_DATE', message: `The ${label} "${value}" is not a valid date (expected YYYY-MM-DD).`, path });
    }
    return date;
  };
  return {
    today: parse(context.today, 'context.today', 'date for today'),
    dueOn: isUnset(draft.dueOn) ? null : parse(draft.dueOn, 'dueOn', 'due date'),
    programmeEndsOn: isUnset(context.programmeEndsOn) ? null : parse(context.programmeEndsOn, 'context.programmeEndsOn', 'programme end date'),
    milestones: draft.milestones.map((milestone, i) =>
      isUnset(milestone.dueOn) ? null : parse(milestone.dueOn, `milestones.${i}.dueOn`, `due date of milestone ${i + 1}`),
    ),
    invalid,
  };
}
