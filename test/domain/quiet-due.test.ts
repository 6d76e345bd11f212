import fc from 'fast-check';
import t from 'tap';
import { quietDueAt } from '../../src/domain/nudges/quiet-due.ts';
import { occurrencesBetween, type RhythmSpec } from '../../src/domain/sessions/rhythm.ts';

// When a pair goes quiet: by the programme's cadence without a rhythm, by the rhythm's own
// sessions (in its time zone, across daylight-saving changes) with one.
const DAY = 86_400_000;
const ZONES = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
const START = Date.parse('2026-01-01T00:00:00Z');

t.test('without a rhythm: the cadence from the last session held (or the start), then the grace period', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 400 * DAY })), (cadenceDays, graceDays, heldOffset) => {
      const since = new Date(START);
      const lastHeldAt = heldOffset === null ? null : new Date(START + heldOffset);
      const due = quietDueAt({ rhythm: null, cadenceDays, graceDays, lastHeldAt, since });
      const from = (lastHeldAt ?? since).getTime();
      return due.basis === 'cadence' && due.expectedAt.getTime() === from + cadenceDays * DAY && due.quietAt.getTime() === due.expectedAt.getTime() + graceDays * DAY;
    }),
  );
});

t.test('with a weekly rhythm: the expected session is one of the rhythm, after the session held, and never earlier for a later session', async () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...ZONES),
      fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR'),
      fc.integer({ min: 7, max: 20 }),
      fc.integer({ min: 0, max: 300 * DAY }),
      fc.integer({ min: 0, max: 30 * DAY }),
      (timeZone, day, hour, heldOffset, later) => {
        const rhythm: RhythmSpec = { rrule: `FREQ=WEEKLY;BYDAY=${day}`, timeZone, startsAt: `2026-01-05T${String(hour).padStart(2, '0')}:00`, minutes: 60 };
        const facts = { rhythm, cadenceDays: 14, graceDays: 3, since: new Date(START) };
        const held = new Date(START + 10 * DAY + heldOffset);
        const due = quietDueAt({ ...facts, lastHeldAt: held });
        const sessions = occurrencesBetween(rhythm, held.getTime() - 30 * DAY, held.getTime() + 30 * DAY).map((d) => d.getTime());
        const laterDue = quietDueAt({ ...facts, lastHeldAt: new Date(held.getTime() + later) });
        return (
          due.basis === 'rhythm' &&
          sessions.includes(due.expectedAt.getTime()) &&
          due.expectedAt.getTime() > held.getTime() &&
          // at most two sessions ahead: the one it counted for, and the next
          due.expectedAt.getTime() - held.getTime() <= 11 * DAY &&
          due.quietAt.getTime() === due.expectedAt.getTime() + 3 * DAY &&
          laterDue.expectedAt.getTime() >= due.expectedAt.getTime()
        );
      },
    ),
  );
});

t.test('a session held a little early counts for the one it was meant for', async (t) => {
  const rhythm: RhythmSpec = { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2027-03-02T16:00', minutes: 60 };
  const facts = { rhythm, cadenceDays: 14, graceDays: 1, since: new Date('2027-03-01T00:00:00Z') };
  // Monday 29 March, the day after the change to summer time: counts for Tuesday 30 March.
  t.equal(quietDueAt({ ...facts, lastHeldAt: new Date('2027-03-29T12:00:00Z') }).expectedAt.toISOString(), '2027-04-06T15:00:00.000Z');
  t.equal(quietDueAt({ ...facts, lastHeldAt: null }).expectedAt.toISOString(), '2027-03-02T16:00:00.000Z', 'none held yet: the first session');
});
