import type { RelationshipStatus } from '../../vocabulary.ts';
import type { Agreement } from '../schemas/relationship.ts';
import type { RhythmStatus } from '../schemas/rhythm.ts';
import { occurrencesBetween, startInstant, upcomingOccurrences, type RhythmSpec } from './rhythm.ts';

const UPCOMING = 5;
/** Counting stops here: a daily rhythm of three years. */
const MAX_EXPECTED = 1000;

/**
 * Sessions held against the agreed rhythm, and the next it expects: pure, from the relationship's
 * agreement, the times its sessions were held, and now.
 */
export function rhythmStatusOf(
  relationship: { id: string; status: RelationshipStatus; agreement: Agreement | null },
  heldAt: Date[],
  now: Date,
): RhythmStatus {
  const rhythm = relationship.agreement?.rhythm ?? null;
  if (!rhythm) {
    return { relationshipId: relationship.id, rhythm: null, nextExpectedAt: null, upcoming: [], expectedSoFar: 0, heldSoFar: 0, lastHeldAt: lastOf(heldAt) };
  }
  const upcoming = relationship.status === 'active' ? upcomingOccurrences(rhythm, now.getTime(), UPCOMING).map((d) => d.toISOString()) : [];
  const { expected, held } = heldAgainstRhythm(rhythm, heldAt, now);
  return {
    relationshipId: relationship.id,
    rhythm,
    nextExpectedAt: upcoming[0] ?? null,
    upcoming,
    expectedSoFar: expected,
    heldSoFar: held,
    lastHeldAt: lastOf(heldAt),
  };
}

/**
 * Sessions the rhythm expected from its first session until `until` (inclusive), expanded in the
 * rhythm's time zone, and sessions held in that span: the one count behind the rhythm status and
 * the programme report.
 */
export function heldAgainstRhythm(rhythm: RhythmSpec, heldAt: Date[], until: Date): { expected: number; held: number } {
  const start = startInstant(rhythm);
  const end = until.getTime();
  return {
    expected: occurrencesBetween(rhythm, start, end + 1, MAX_EXPECTED).length,
    held: heldAt.filter((at) => at.getTime() >= start && at.getTime() <= end).length,
  };
}

function lastOf(dates: Date[]): string | null {
  if (dates.length === 0) return null;
  return new Date(Math.max(...dates.map((d) => d.getTime()))).toISOString();
}
