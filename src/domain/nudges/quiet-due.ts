import { occurrencesBetween, startInstant, upcomingOccurrences, type RhythmSpec } from '../sessions/rhythm.ts';

const MS_DAY = 86_400_000;
/** How far back the session a held one counted for is looked for (a monthly rhythm's gap, and some). */
const LOOK_BACK_DAYS = 62;

export interface QuietFacts {
  /** The agreed rhythm, if any; without one (or once it has no sessions left) the programme's cadence applies. */
  rhythm: RhythmSpec | null;
  cadenceDays: number;
  graceDays: number;
  /** The last session held, if any. */
  lastHeldAt: Date | null;
  /** When the relationship began: the cadence counts from here until a session is held. */
  since: Date;
}

export interface QuietDue {
  /** The session the pair is expected to hold next. */
  expectedAt: Date;
  /** When the pair goes quiet if no session is held by then: expectedAt + the grace period. */
  quietAt: Date;
  basis: 'rhythm' | 'cadence';
}

/**
 * When the pair goes quiet, from its rhythm and the sessions it held: pure. A held session counts
 * for the expected session nearest to it (a Tuesday session held on Monday counts for Tuesday),
 * and the next expected is the one after that; with no session held yet, the rhythm's first. The
 * rhythm is expanded in its own time zone (rhythm.ts), so a daylight-saving change moves nothing.
 */
export function quietDueAt(facts: QuietFacts): QuietDue {
  const grace = facts.graceDays * MS_DAY;
  const expected = facts.rhythm ? nextByRhythm(facts.rhythm, facts.lastHeldAt) : null;
  if (expected) return { expectedAt: expected, quietAt: new Date(expected.getTime() + grace), basis: 'rhythm' };
  const from = (facts.lastHeldAt ?? facts.since).getTime();
  const byCadence = from + facts.cadenceDays * MS_DAY;
  return { expectedAt: new Date(byCadence), quietAt: new Date(byCadence + grace), basis: 'cadence' };
}

function nextByRhythm(rhythm: RhythmSpec, lastHeldAt: Date | null): Date | null {
  if (!lastHeldAt) return upcomingOccurrences(rhythm, startInstant(rhythm), 1)[0] ?? null;
  const held = lastHeldAt.getTime();
  const [after, afterThat] = upcomingOccurrences(rhythm, held + 1, 2);
  const before = occurrencesBetween(rhythm, held - LOOK_BACK_DAYS * MS_DAY, held + 1).at(-1);
  if (!after) return null;
  // Before the rhythm's first session there is no session behind: the held one counts for the next
  // only when it is nearer to it than half the rhythm's interval.
  const behind = before !== undefined ? held - before.getTime() : afterThat ? (afterThat.getTime() - after.getTime()) / 2 : Infinity;
  const countedForNext = after.getTime() - held < behind;
  return countedForNext ? (afterThat ?? null) : after;
}
