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

/**
 * The bounds on a rule, so that no rule a member may set costs more than a few milliseconds to
 * check or expand (issue 36: a daily rule listing every minute blocked the process for seconds,
 * every second for minutes). At most one session a day: BYHOUR, BYMINUTE and BYSECOND take one
 * value each (the time of day comes from startsAt), so a rule yields at most 366 sessions a year
 * whatever its BYxxx parts say; a pair does not meet twice a day, and a per-day bound keeps every
 * expansion proportional to the days it spans.
 */
export const RHYTHM_BOUNDS = {
  /** Values in each other BYxxx list (BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS). */
  listValues: 31,
  maxCount: 1000,
  maxInterval: 100,
  /** startsAt and UNTIL lie in these years. */
  firstYear: 2000,
  lastYear: 2099,
} as const;
const ONE_A_DAY = ['byhour', 'byminute', 'bysecond'] as const;
const LISTS = ['byweekday', 'bymonthday', 'byyearday', 'byweekno', 'bymonth', 'bysetpos', 'byeaster'] as const;

/** The bounds in words, for the contract (openapi.yaml) and the schema's description. */
export const RHYTHM_BOUNDS_TEXT =
  `At most one session a day: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY; BYHOUR, BYMINUTE and BYSECOND take one value each; ` +
  `every other BYxxx list at most ${RHYTHM_BOUNDS.listValues} values; INTERVAL 1–${RHYTHM_BOUNDS.maxInterval}; COUNT 1–${RHYTHM_BOUNDS.maxCount}; ` +
  `UNTIL (like startsAt) in the years ${RHYTHM_BOUNDS.firstYear}–${RHYTHM_BOUNDS.lastYear}.`;

/**
 * How much one expansion may do: days examined plus candidate times produced. rrule walks from
 * the rule's start, and it walks days with no candidate without asking anyone (an impossible
 * DAILY rule walked to the year 9999 for 12 s); the budget stops both. 20,000 steps are about
 * 27 years of walking whatever the frequency, and cost tens of milliseconds at worst. A rule stored before the bounds existed
 * (every minute of the day) gives what it found when its budget is spent, never a stall.
 */
export const EXPANSION_BUDGET = 20_000;
/**
 * rrule builds a rule's times of day (BYHOUR × BYMINUTE × BYSECOND) before it walks, unbudgeted:
 * 86,400 for a rule stored before the bounds that named every second (60–140 ms each time). Such a
 * rule is not expanded at all beyond every minute of the day.
 */
const MAX_TIMES_A_DAY = 1440;
/** Checking a new rule needs its first five years only: 1,830 days of a daily rule. */
const CHECK_BUDGET = 4_000;
const ALLOWED_FREQUENCIES = new Set<number>([RRule.YEARLY, RRule.MONTHLY, RRule.WEEKLY, RRule.DAILY]);

export const stripRrulePrefix = (rule: string) => rule.trim().replace(/^RRULE:/i, '');

/** Every reason the rhythm is not usable, as field errors; [] when it is. */
export function rhythmErrors(spec: { rrule: string; timeZone: string; startsAt: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!validLocalDateTime(spec.startsAt)) errors.push({ path: 'rhythm.startsAt', message: `is not a real date and time in the years ${RHYTHM_BOUNDS.firstYear}–${RHYTHM_BOUNDS.lastYear}` });
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
      const first = occurrencesBetween(spec as RhythmSpec, start, start + FIRST_WITHIN_YEARS * 366 * MS_DAY, 1, CHECK_BUDGET);
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
  if (options.interval !== undefined && options.interval > RHYTHM_BOUNDS.maxInterval) return `INTERVAL is at most ${RHYTHM_BOUNDS.maxInterval}`;
  if (options.count !== undefined && options.count !== null && (options.count < 1 || options.count > RHYTHM_BOUNDS.maxCount)) return `COUNT is 1 to ${RHYTHM_BOUNDS.maxCount}`;
  for (const key of ONE_A_DAY) {
    if (valuesOf(options[key]) > 1) return `${key.toUpperCase()} takes one value: a rhythm has at most one session a day, at the time of startsAt`;
  }
  for (const key of LISTS) {
    if (valuesOf(options[key]) > RHYTHM_BOUNDS.listValues) return `${key === 'byweekday' ? 'BYDAY' : key.toUpperCase()} lists at most ${RHYTHM_BOUNDS.listValues} values`;
  }
  if (options.until) {
    const year = options.until.getUTCFullYear();
    if (year < RHYTHM_BOUNDS.firstYear || year > RHYTHM_BOUNDS.lastYear) return `UNTIL lies in the years ${RHYTHM_BOUNDS.firstYear}–${RHYTHM_BOUNDS.lastYear}`;
  }
  return null;
}

const valuesOf = (value: unknown): number => (Array.isArray(value) ? value.length : value === null || value === undefined ? 0 : 1);

function validLocalDateTime(text: string): boolean {
  try {
    const { year } = Temporal.PlainDateTime.from(text, { overflow: 'reject' });
    return year >= RHYTHM_BOUNDS.firstYear && year <= RHYTHM_BOUNDS.lastYear;
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
/** A wall-clock time (rrule's UTC-as-local Date) in a zone; a time in a gap moves forward, as RFC 5545 says. */
const zonedOf = (wall: Date, timeZone: string) =>
  Temporal.PlainDateTime.from({
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  }).toZonedDateTime(timeZone, { disambiguation: 'compatible' });
const instantOf = (wall: Date, timeZone: string): number => zonedOf(wall, timeZone).epochMilliseconds;

/**
 * instantOf for many wall-clock times in one zone: Temporal (30–70 µs a call with the polyfill)
 * only near a change of offset. Between two transitions the offset is constant, so a wall time
 * whose instant lies more than two days from either (no zone ever jumped by more than a day) is
 * neither in a gap nor in an overlap, and its instant is the wall time less that offset.
 */
function wallsToInstants(timeZone: string): (wall: Date) => number {
  let span = { from: Infinity, to: -Infinity, offset: 0 };
  return (wall) => {
    const fast = wall.getTime() - span.offset;
    if (fast >= span.from && fast < span.to) return fast;
    const zoned = zonedOf(wall, timeZone);
    const previous = zoned.getTimeZoneTransition('previous')?.epochMilliseconds ?? -Infinity;
    const next = zoned.getTimeZoneTransition('next')?.epochMilliseconds ?? Infinity;
    span = { from: previous + 2 * MS_DAY, to: next - 2 * MS_DAY, offset: zoned.offsetNanoseconds / 1e6 };
    return zoned.epochMilliseconds;
  };
}

function wallStart(spec: RhythmSpec): Date {
  const local = Temporal.PlainDateTime.from(spec.startsAt);
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** The instant of the first session. */
export const startInstant = (spec: RhythmSpec): number => instantOf(wallStart(spec), spec.timeZone);

/**
 * The rule, starting at its first session or, when `notBefore` (a wall time) is far past it, at
 * the start of a period in phase with it shortly before `notBefore`: rrule walks from the start,
 * so a window years after the first session would cost every day in between. A rule with COUNT
 * is not moved (its sessions are counted from the first). The parts rrule derives from the start
 * (the day of a MONTHLY rule, the weekday of a WEEKLY one, the time of day) are made explicit
 * first, so the moved rule gives the same sessions from its new start on.
 */
function ruleOf(spec: RhythmSpec, notBefore?: number) {
  const parsed = RRule.parseString(stripRrulePrefix(spec.rrule));
  const dtstart = wallStart(spec);
  const rule = new RRule({ ...parsed, dtstart });
  if (notBefore === undefined || parsed.count) return rule;
  const movedTo = periodStartBefore(rule.options, dtstart, notBefore);
  if (movedTo === null) return rule;
  const derived = rule.options;
  const dayParts = parsed.byweekno || parsed.byyearday || parsed.bymonthday || parsed.byweekday || parsed.byeaster;
  const implicit = {
    byhour: derived.byhour,
    byminute: derived.byminute,
    bysecond: derived.bysecond,
    ...(dayParts ? {} : derived.freq === RRule.YEARLY ? { bymonth: derived.bymonth, bymonthday: derived.bymonthday } : {}),
    ...(dayParts ? {} : derived.freq === RRule.MONTHLY ? { bymonthday: derived.bymonthday } : {}),
    ...(dayParts ? {} : derived.freq === RRule.WEEKLY ? { byweekday: derived.byweekday } : {}),
  };
  return new RRule({ ...parsed, ...implicit, dtstart: new Date(movedTo) });
}

/** The start of a period of the rule (a day, week, month or year, every INTERVAL of them from the first) at least one period before `notBefore`; null when that is not after the first. */
function periodStartBefore(options: { freq: number; interval: number; wkst: number | null }, dtstart: Date, notBefore: number): number | null {
  const interval = options.interval || 1;
  const y0 = dtstart.getUTCFullYear();
  const m0 = dtstart.getUTCMonth();
  const day0 = Date.UTC(y0, m0, dtstart.getUTCDate());
  const until = new Date(notBefore);
  const steps = (periods: number) => Math.floor(periods / interval) - 1;
  switch (options.freq) {
    case RRule.DAILY: {
      const n = steps(Math.floor((notBefore - day0) / MS_DAY));
      return n >= 1 ? day0 + n * interval * MS_DAY : null;
    }
    case RRule.WEEKLY: {
      // rrule's weekday: Monday 0; its weeks start on WKST (Monday unless the rule says).
      const weekday = (dtstart.getUTCDay() + 6) % 7;
      const week0 = day0 - ((weekday - (options.wkst ?? 0) + 7) % 7) * MS_DAY;
      const n = steps(Math.floor((notBefore - week0) / (7 * MS_DAY)));
      return n >= 1 ? week0 + n * interval * 7 * MS_DAY : null;
    }
    case RRule.MONTHLY: {
      const n = steps((until.getUTCFullYear() - y0) * 12 + until.getUTCMonth() - m0);
      return n >= 1 ? Date.UTC(y0, m0 + n * interval, 1) : null;
    }
    case RRule.YEARLY: {
      const n = steps(until.getUTCFullYear() - y0);
      return n >= 1 ? Date.UTC(y0 + n * interval, 0, 1) : null;
    }
    default:
      return null;
  }
}

class BudgetSpent extends Error {}

/**
 * Walks the rule from its start, handing each wall-clock time to `visit` until it returns false,
 * the rule ends, or `budget` steps are spent (then false). The days are counted through the
 * rule's `byeaster` option, which rrule's day filter reads for every day it examines, even in a
 * period with no candidate: its public API has no other hook there. test/domain/rhythm.test.ts holds an impossible DAILY
 * rule to a few milliseconds, so an rrule that stopped reading it would fail there.
 */
function walk(spec: RhythmSpec, visit: (wall: Date) => boolean, budget: number, notBefore?: number): boolean {
  const rule = ruleOf(spec, notBefore);
  const { byhour, byminute, bysecond } = rule.options;
  if ((byhour?.length ?? 1) * (byminute?.length ?? 1) * (bysecond?.length ?? 1) > MAX_TIMES_A_DAY) return false;
  let steps = 0;
  const step = () => {
    if (++steps > budget) throw new BudgetSpent();
  };
  const byeaster = rule.options.byeaster;
  Object.defineProperty(rule.options, 'byeaster', {
    get: () => {
      step();
      return byeaster;
    },
  });
  try {
    rule.all((wall) => {
      step();
      return visit(wall);
    });
    return true;
  } catch (error) {
    if (error instanceof BudgetSpent) return false;
    throw error;
  }
}

/**
 * The sessions the rhythm expects from `from` (inclusive) to `to` (exclusive), as instants, at
 * most `limit`, within `budget` steps of the rule (EXPANSION_BUDGET). The wall-clock window is
 * widened by a day on each side (no offset is more than a day) and the instants are then cut to
 * the exact window.
 */
export function occurrencesBetween(spec: RhythmSpec, from: number, to: number, limit = 1000, budget = EXPANSION_BUDGET): Date[] {
  if (to <= from || limit <= 0) return [];
  const wallFrom = wallOf(from, spec.timeZone) - MS_DAY;
  const wallTo = wallOf(to, spec.timeZone) + MS_DAY;
  const found: Date[] = [];
  const instantOfWall = wallsToInstants(spec.timeZone);
  walk(
    spec,
    (wall) => {
      const at = wall.getTime();
      if (at < wallFrom) return true;
      if (at > wallTo) return false;
      const instant = instantOfWall(wall);
      if (instant >= from && instant < to) found.push(new Date(instant));
      return found.length < limit;
    },
    budget,
    wallFrom,
  );
  return found;
}

/** How far ahead the next sessions are looked for: the longest gap of a rule that passed its check is under 40 years. */
const UPCOMING_HORIZON_DAYS = 40_000;

/** The first `count` expected sessions at or after `after`. */
export function upcomingOccurrences(spec: RhythmSpec, after: number, count: number): Date[] {
  return occurrencesBetween(spec, after, after + UPCOMING_HORIZON_DAYS * MS_DAY, count);
}
