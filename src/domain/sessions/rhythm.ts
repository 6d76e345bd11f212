import rrulePackage from 'rrule';
import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../errors.ts';

// rrule ships CommonJS to Node: its named exports are reached through the default export.
const { RRule } = rrulePackage;
type RRuleOptions = ReturnType<typeof RRule.parseString>;

/**
 * The pair's agreed rhythm: an RFC 5545 recurrence rule (the RRULE value) whose first session is
 * `startsAt`, a wall-clock time in `timeZone`. The rule is expanded in wall-clock time (rrule,
 * "floating" dates) and each occurrence is then placed in the time zone with RFC 5545's rules for
 * daylight-saving changes (Temporal's "compatible" disambiguation): a time that does not exist
 * (the spring gap) moves forward by the gap; a time that exists twice (the autumn overlap) is the
 * first of the two. So "Tuesdays at 16:00 London time" stays at 16:00 on the wall all year round.
 */
export interface RhythmSpec {
  rrule: string;
  timeZone: string;
  /** Local date-time of the first session, without offset: 2026-12-01T16:00. */
  startsAt: string;
  minutes: number;
}

const MS_DAY = 86_400_000;
/** A rule must produce a session within this long after its start. */
const FIRST_WITHIN_YEARS = 5;
const ALLOWED_FREQUENCIES = new Set<number>([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);

export const stripRrulePrefix = (rule: string) => rule.trim().replace(/^RRULE:/i, '');

/** Every reason the rhythm is not usable, as field errors; [] when it is. */
export function rhythmErrors(spec: { rrule: string; timeZone: string; startsAt: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!validLocalDateTime(spec.startsAt)) errors.push({ path: 'rhythm.startsAt', message: 'is not a real date and time' });
  if (!validTimeZone(spec.timeZone)) errors.push({ path: 'rhythm.timeZone', message: `"${spec.timeZone}" is not an IANA time zone such as Europe/London` });
  const rule = stripRrulePrefix(spec.rrule);
  let options: RRuleOptions | null = null;
  if (/[\r\n]/.test(rule)) {
    errors.push({ path: 'rhythm.rrule', message: 'give the RRULE value only, on one line (e.g. FREQ=WEEKLY;BYDAY=TU); DTSTART comes from startsAt and timeZone' });
  } else {
    try {
      options = RRule.parseString(rule);
    } catch (error) {
      errors.push({ path: 'rhythm.rrule', message: `not an RFC 5545 RRULE: ${(error as Error).message}` });
    }
  }
  if (options) {
    const problem = ruleProblem(rule, options);
    if (problem) errors.push({ path: 'rhythm.rrule', message: problem });
  }
  if (errors.length === 0) {
    try {
      const start = startInstant(spec as RhythmSpec);
      const first = occurrencesBetween(spec as RhythmSpec, start, start + FIRST_WITHIN_YEARS * 366 * MS_DAY, 1);
      if (first.length === 0) errors.push({ path: 'rhythm.rrule', message: `the rule gives no session within ${FIRST_WITHIN_YEARS} years of startsAt` });
    } catch (error) {
      // rrule accepts some rules at parse time that it cannot expand.
      errors.push({ path: 'rhythm.rrule', message: `the rule cannot be expanded: ${(error as Error).message}` });
    }
  }
  return errors;
}

function ruleProblem(rule: string, options: RRuleOptions): string | null {
  if (!/(^|;)FREQ=/i.test(rule) || options.freq === undefined || options.freq === null) return 'FREQ is required: DAILY, WEEKLY, MONTHLY or YEARLY';
  if (!ALLOWED_FREQUENCIES.has(options.freq)) return 'a meeting rhythm repeats DAILY, WEEKLY, MONTHLY or YEARLY, not more often';
  if (/(^|;)(DTSTART|TZID)=/i.test(rule) || options.dtstart || options.tzid) return 'DTSTART and TZID come from startsAt and timeZone; leave them out of the rule';
  for (const [key, value] of Object.entries(options)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)))) return `${key.toUpperCase()} has a value that is not understood`;
  }
  if (options.interval !== undefined && (options.interval < 1 || !Number.isInteger(options.interval))) return 'INTERVAL is a whole number of 1 or more';
  if (options.count !== undefined && options.count !== null && options.count < 1) return 'COUNT is 1 or more';
  return null;
}

function validLocalDateTime(text: string): boolean {
  try {
    Temporal.PlainDateTime.from(text, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}

/** A wall-clock time as the UTC fields of a Date: how rrule reads and writes floating times. */
const wallOf = (instant: number, timeZone: string): number => {
  const local = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone).toPlainDateTime();
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
};
const instantOf = (wall: Date, timeZone: string): number =>
  Temporal.PlainDateTime.from({
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  })
    .toZonedDateTime(timeZone, { disambiguation: 'compatible' })
    .epochMilliseconds;

function wallStart(spec: RhythmSpec): Date {
  const local = Temporal.PlainDateTime.from(spec.startsAt);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** The instant of the first session. */
export const startInstant = (spec: RhythmSpec): number => instantOf(wallStart(spec), spec.timeZone);

function ruleOf(spec: RhythmSpec) {
  return new RRule({ ...RRule.parseString(stripRrulePrefix(spec.rrule)), dtstart: wallStart(spec) });
}

/**
 * The sessions the rhythm expects from `from` (inclusive) to `to` (exclusive), as instants, at
 * most `limit`. The wall-clock window is widened by a day on each side (no offset is more than a
 * day) and the instants are then cut to the exact window.
 */
export function occurrencesBetween(spec: RhythmSpec, from: number, to: number, limit = 1000): Date[] {
  if (to <= from) return [];
  const rule = ruleOf(spec);
  const found: Date[] = [];
  // The iterator stops rrule early: the margins hold at most a day of sessions on each side.
  const walls = rule.between(new Date(wallOf(from, spec.timeZone) - MS_DAY), new Date(wallOf(to, spec.timeZone) + MS_DAY), true, (_wall, i) => i < limit + 100);
  for (const wall of walls) {
    const instant = instantOf(wall, spec.timeZone);
    if (instant >= from && instant < to && found.length < limit) found.push(new Date(instant));
  }
  return found;
}

/** The first `count` expected sessions at or after `after`. */
export function upcomingOccurrences(spec: RhythmSpec, after: number, count: number): Date[] {
  const found: Date[] = [];
  let windowStart = after;
  // Widening windows: a weekly rule fills the first, a yearly one the third or fourth.
  for (const span of [60, 400, 4000, 40_000]) {
    const windowEnd = after + span * MS_DAY;
    found.push(...occurrencesBetween(spec, windowStart, windowEnd, count - found.length));
    if (found.length >= count) break;
    windowStart = windowEnd;
  }
  return found;
}
