import type { RelationshipStatus } from '../../vocabulary.ts';
import type { Agreement } from '../schemas/relationship.ts';
import type { RhythmStatus } from '../schemas/rhythm.ts';
import { occurrencesBetween, startInstant, upcomingOccurrences } from './rhythm.ts';

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
  const start = startInstant(rhythm);
  const upcoming = relationship.status === 'active' ? upcomingOccurrences(rhythm, now.getTime(), UPCOMING).map((d) => d.toISOString()) : [];
  const held = heldAt.filter((at) => at.getTime() >= start);
  return {
    relationshipId: relationship.id,
    rhythm,
    nextExpectedAt: upcoming[0] ?? null,
    upcoming,
    expectedSoFar: occurrencesBetween(rhythm, start, now.getTime() + 1, MAX_EXPECTED).length,
    heldSoFar: held.length,
    lastHeldAt: lastOf(heldAt),
  };
}

function lastOf(dates: Date[]): string | null {
  if (dates.length === 0) return null;
  return new Date(Math.max(...dates.map((d) => d.getTime()))).toISOString();
}
