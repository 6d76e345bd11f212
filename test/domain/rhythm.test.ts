import fc from 'fast-check';
import t from 'tap';
import { Temporal } from 'temporal-polyfill';
import { occurrencesBetween, rhythmErrors, startInstant, upcomingOccurrences, type RhythmSpec } from '../../src/domain/sessions/rhythm.ts';

// The agreed rhythm expanded across time zones and daylight-saving changes. The reference here
// does not use rrule: a DAILY or WEEKLY rule's k-th session falls on the start date plus k
// intervals (calendar arithmetic on plain dates), at the start's wall-clock time, or, on the one
// day a year that time does not exist, just after the gap.
const DAY = 86_400_000;
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Sao_Paulo', 'Pacific/Chatham', 'America/St_Johns', 'Europe/Berlin', 'UTC'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The local wall-clock of an instant in a zone, read through Intl (not Temporal). */
function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, weekday: String(parts.weekday).slice(0, 2).toUpperCase() };
}

const exists = (date: string, time: string, timeZone: string) => {
  try {
    Temporal.PlainDateTime.from(`${date}T${time}`).toZonedDateTime(timeZone, { disambiguation: 'reject' });
    return true;
  } catch {
    return false;
  }
};

const spec = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    // Dates around the DST changes of both hemispheres, and times in the small hours where the gaps are.
    date: fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    hour: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 23 })),
    minute: fc.constantFrom(0, 15, 30, 45),
    freq: fc.constantFrom('DAILY', 'WEEKLY'),
    interval: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ timeZone, date, hour, minute, freq, interval }) => ({
    timeZone,
    startsAt: `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    rrule: `FREQ=${freq};INTERVAL=${interval}`,
    minutes: 60,
    stepDays: (freq === 'DAILY' ? 1 : 7) * interval,
  }));

t.test('DAILY and WEEKLY rules agree with calendar arithmetic in every zone, across DST changes', async (t) => {
  let gaps = 0;
  fc.assert(
    fc.property(spec, (rhythm) => {
      const from = startInstant(rhythm);
      const got = occurrencesBetween(rhythm, from, from + 400 * DAY);
      const start = Temporal.PlainDateTime.from(rhythm.startsAt);
      const time = rhythm.startsAt.slice(11, 16);
      const expected: number[] = [];
      for (let k = 0; ; k++) {
        const date = start.toPlainDate().add({ days: k * rhythm.stepDays });
        const instant = date.toPlainDateTime(start.toPlainTime()).toZonedDateTime(rhythm.timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
        if (instant >= from + 400 * DAY) break;
        expected.push(instant);
      }
      if (got.length !== expected.length) throw new Error(`${got.length} sessions, expected ${expected.length}`);
      got.forEach((occurrence, k) => {
        if (occurrence.getTime() !== expected[k]) throw new Error(`session ${k}: ${occurrence.toISOString()} ≠ ${new Date(expected[k]!).toISOString()}`);
        const local = wallClock(occurrence, rhythm.timeZone);
        const date = start.toPlainDate().add({ days: k * rhythm.stepDays }).toString();
        if (local.time === time && local.date === date) return;
        // The only other answer: the wall time does not exist that day, and the session moved forward past the gap.
        if (exists(date, time, rhythm.timeZone) || local.date !== date || local.time <= time) {
          throw new Error(`session ${k} at ${local.date} ${local.time} in ${rhythm.timeZone}, expected ${date} ${time}`);
        }
        gaps++;
      });
      for (let k = 1; k < got.length; k++) if (got[k]!.getTime() <= got[k - 1]!.getTime()) throw new Error('sessions out of order');
    }),
    { numRuns: 400 },
  );
  t.pass(`wall-clock time kept; ${gaps} sessions moved past a spring gap`);
});

t.test('windows add up, and the next session is the first at or after now', async (t) => {
  fc.assert(
    fc.property(
      spec,
      fc.constantFrom(...WEEKDAYS),
      fc.integer({ min: 0, max: 300 }),
      fc.integer({ min: 1, max: 200 }),
      fc.integer({ min: 0, max: 23 * 60 }),
      (base, weekday, offsetDays, lengthDays, offsetMinutes) => {
        const rhythm: RhythmSpec = { ...base, rrule: `FREQ=WEEKLY;BYDAY=${weekday},${WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 3) % 7]}` };
        const a = startInstant(rhythm) + offsetDays * DAY + offsetMinutes * 60_000;
        const b = a + lengthDays * DAY;
        const c = b + 17 * DAY;
        const whole = occurrencesBetween(rhythm, a, c);
        const parts = [...occurrencesBetween(rhythm, a, b), ...occurrencesBetween(rhythm, b, c)];
        if (whole.map(Number).join() !== parts.map(Number).join()) throw new Error('[a, c) is not [a, b) then [b, c)');
        for (const session of whole) {
          const local = wallClock(session, rhythm.timeZone);
          if (![weekday, WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 3) % 7]].includes(local.weekday)) throw new Error(`${session.toISOString()} is a ${local.weekday} in ${rhythm.timeZone}`);
        }
        const [next] = upcomingOccurrences(rhythm, a, 1);
        if (!next || next.getTime() < a) throw new Error('no next session at or after now');
        if (occurrencesBetween(rhythm, a, next.getTime()).length !== 0) throw new Error('a session was skipped before the next one');
      },
    ),
    { numRuns: 300 },
  );
  t.pass('additive windows, correct weekdays, no skipped session');
});

t.test('the daylight-saving changes of London and New York, by hand', async (t) => {
  const london: RhythmSpec = { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2026-03-17T16:00', minutes: 60 };
  t.same(
    occurrencesBetween(london, Date.parse('2026-03-17T00:00:00Z'), Date.parse('2026-04-08T00:00:00Z')).map((d) => d.toISOString()),
    ['2026-03-17T16:00:00.000Z', '2026-03-24T16:00:00.000Z', '2026-03-31T15:00:00.000Z', '2026-04-07T15:00:00.000Z'],
    'Tuesdays at 16:00 London time: 16:00 UTC in winter, 15:00 UTC in summer',
  );
  const gap: RhythmSpec = { rrule: 'FREQ=DAILY', timeZone: 'America/New_York', startsAt: '2026-03-07T02:30', minutes: 30 };
  t.same(
    occurrencesBetween(gap, Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-10T00:00:00Z')).map((d) => d.toISOString()),
    ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'],
    '02:30 does not exist on 8 March: that session is at 03:30 EDT (RFC 5545)',
  );
  const overlap: RhythmSpec = { rrule: 'FREQ=DAILY;COUNT=2', timeZone: 'America/New_York', startsAt: '2026-10-31T01:30', minutes: 30 };
  t.same(
    occurrencesBetween(overlap, Date.parse('2026-10-30T00:00:00Z'), Date.parse('2026-11-03T00:00:00Z')).map((d) => d.toISOString()),
    ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z'],
    '01:30 happens twice on 1 November: the session is the first (EDT); COUNT ends the rule',
  );
  t.same(upcomingOccurrences(overlap, Date.parse('2026-11-02T00:00:00Z'), 3), [], 'an ended rule expects nothing more');
});

const hours = Array.from({ length: 24 }, (_, i) => i).join(',');
const minutes = Array.from({ length: 60 }, (_, i) => i).join(',');

t.test('a rhythm that cannot be used is refused with the field and the reason', async (t) => {
  const good = { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2026-12-01T16:00' };
  t.same(rhythmErrors(good), []);
  t.same(rhythmErrors({ ...good, rrule: 'RRULE:FREQ=MONTHLY;BYSETPOS=-1;BYDAY=FR' }), [], 'an RRULE: prefix is fine; the last Friday of each month');
  const cases: [Partial<typeof good>, string, RegExp][] = [
    [{ timeZone: 'Mars/Olympus_Mons' }, 'rhythm.timeZone', /IANA/],
    [{ rrule: 'every tuesday' }, 'rhythm.rrule', /RFC 5545/],
    [{ rrule: 'BYDAY=TU' }, 'rhythm.rrule', /FREQ is required/],
    [{ rrule: 'FREQ=HOURLY' }, 'rhythm.rrule', /not more often/],
    [{ rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rhythm.rrule', /BYWEEKDAY/],
    [{ rrule: 'FREQ=WEEKLY;DTSTART=20260101T000000Z' }, 'rhythm.rrule', /DTSTART/],
    [{ rrule: 'FREQ=WEEKLY;INTERVAL=0' }, 'rhythm.rrule', /INTERVAL/],
    [{ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, 'rhythm.rrule', /no session/],
    [{ rrule: 'FREQ=WEEKLY\nRRULE:FREQ=DAILY' }, 'rhythm.rrule', /one line/],
    [{ rrule: `FREQ=DAILY;BYHOUR=${hours};BYMINUTE=${minutes}` }, 'rhythm.rrule', /BYHOUR takes one value: a rhythm has at most one session a day/],
    [{ rrule: 'FREQ=DAILY;BYMINUTE=0,30' }, 'rhythm.rrule', /BYMINUTE takes one value/],
    [{ rrule: `FREQ=YEARLY;BYYEARDAY=${Array.from({ length: 32 }, (_, i) => i + 1).join(',')}` }, 'rhythm.rrule', /BYYEARDAY lists at most 31 values/],
    [{ rrule: 'FREQ=DAILY;COUNT=1001' }, 'rhythm.rrule', /COUNT is 1 to 1000/],
    [{ rrule: 'FREQ=WEEKLY;INTERVAL=101' }, 'rhythm.rrule', /INTERVAL is at most 100/],
    [{ rrule: 'FREQ=DAILY;UNTIL=21000101T000000Z' }, 'rhythm.rrule', /UNTIL lies in the years 2000–2099/],
    [{ startsAt: '1970-01-01T10:00' }, 'rhythm.startsAt', /2000–2099/],
    [{ rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' }, 'rhythm.rrule', /no session/],
  ];
  for (const [change, path, message] of cases) {
    const errors = rhythmErrors({ ...good, ...change });
    t.equal(errors[0]?.path, path, JSON.stringify(change));
    t.match(errors[0]?.message, message);
  }
});

t.test('no rule costs more than a bounded walk: impossible rules are refused fast, rules stored before the bounds never stall', async (t) => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const timed = <T>(f: () => T): [T, number] => {
    const started = performance.now();
    const value = f();
    return [value, performance.now() - started];
  };
  // rrule walks an impossible DAILY rule day by day to the year 9999 (12 s here before the budget).
  const impossible = { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', timeZone: 'Europe/London', startsAt: '2026-12-01T16:00', minutes: 60 };
  const [errors, checkMs] = timed(() => rhythmErrors(impossible));
  t.match(errors[0]?.message, /no session/);
  const [upcoming, upcomingMs] = timed(() => upcomingOccurrences(impossible, now, 5));
  t.same(upcoming, []);
  // Stored before the bounds: every minute, and every second, of every day.
  const everyMinute = { ...impossible, rrule: `FREQ=DAILY;BYHOUR=${hours};BYMINUTE=${minutes}` };
  const [nextMinutes, minuteMs] = timed(() => upcomingOccurrences(everyMinute, now, 5));
  t.same(nextMinutes.map((d) => d.toISOString()), ['12:00', '12:01', '12:02', '12:03', '12:04'].map((hm) => `2026-12-07T${hm}:00.000Z`), 'the next five minutes, not nothing');
  const everySecond = { ...everyMinute, rrule: `${everyMinute.rrule};BYSECOND=${minutes}` };
  const [, secondMs] = timed(() => upcomingOccurrences(everySecond, now, 5));
  t.comment(`impossible rule: check ${checkMs.toFixed(0)} ms, upcoming ${upcomingMs.toFixed(0)} ms; every minute ${minuteMs.toFixed(0)} ms; every second ${secondMs.toFixed(0)} ms`);
  for (const ms of [checkMs, upcomingMs, minuteMs, secondMs]) t.ok(ms < 1000, `bounded (${ms.toFixed(0)} ms, generous ceiling 1 s)`);
});

t.test('a window years after the first session gives what the walk from the first session gives', async (t) => {
  // Expansion starts near the window, at a period in phase with the rule (rhythm.ts ruleOf), not at
  // the first session: checked against the whole walk from the first session, without a budget.
  const rule = fc
    .record({
      freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
      interval: fc.integer({ min: 1, max: 3 }),
      byday: fc.option(fc.constantFrom('MO', 'TU,TH', 'SA,SU', 'FR'), { nil: undefined }),
      bymonthday: fc.option(fc.constantFrom('1', '15', '-1', '31'), { nil: undefined }),
      bymonth: fc.option(fc.constantFrom('2', '6,12'), { nil: undefined }),
      bysetpos: fc.option(fc.constantFrom('1', '-1'), { nil: undefined }),
      wkst: fc.option(fc.constantFrom('SU', 'WE'), { nil: undefined }),
    })
    .map((r) =>
      [
        `FREQ=${r.freq}`,
        `INTERVAL=${r.interval}`,
        r.byday && `BYDAY=${r.byday}`,
        r.bymonthday && `BYMONTHDAY=${r.bymonthday}`,
        r.bymonth && `BYMONTH=${r.bymonth}`,
        r.bysetpos && (r.byday || r.bymonthday) && `BYSETPOS=${r.bysetpos}`,
        r.wkst && `WKST=${r.wkst}`,
      ]
        .filter(Boolean)
        .join(';'),
    );
  fc.assert(
    fc.property(
      rule,
      fc.constantFrom('Europe/London', 'America/New_York', 'Australia/Sydney', 'UTC'),
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2020-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.date({ min: new Date('2021-01-01T00:00:00Z'), max: new Date('2032-12-31T00:00:00Z'), noInvalidDate: true }),
      (rrule, timeZone, first, windowStart) => {
        const spec: RhythmSpec = { rrule, timeZone, startsAt: `${first.toISOString().slice(0, 10)}T09:30`, minutes: 60 };
        const from = windowStart.getTime();
        const to = from + 400 * 86_400_000;
        const near = occurrencesBetween(spec, from, to, 1000).map((d) => d.toISOString());
        const whole = occurrencesBetween(spec, startInstant(spec), to, 1_000_000, 100_000_000)
          .filter((d) => d.getTime() >= from)
          .map((d) => d.toISOString());
        t.same(near, whole.slice(0, 1000), `${rrule} from ${spec.startsAt} ${timeZone}, window at ${windowStart.toISOString()}`);
        return true;
      },
    ),
    { numRuns: 80 },
  );
});
