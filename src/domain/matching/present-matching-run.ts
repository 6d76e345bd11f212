import type { matchingPairs, matchingRuns } from '../../db/schema.ts';
import { iso, isoOrNull } from '../present.ts';
import type { MatchingRun } from '../schemas/matching.ts';

export type MatchingRunRow = typeof matchingRuns.$inferSelect;
export type MatchingPairRow = typeof matchingPairs.$inferSelect;

export const presentMatchingRun = (run: MatchingRunRow, pairs: MatchingPairRow[]): MatchingRun => ({
  id: run.id,
  programmeId: run.programmeId,
  status: run.status,
  objective: run.objective,
  greedyObjective: run.greedyObjective,
  menteeCount: run.menteeCount,
  mentorCount: run.mentorCount,
  pairs: pairs.map((pair) => ({
    id: pair.id,
    menteeId: pair.menteeId,
    mentorId: pair.mentorId,
    score: pair.score,
    factors: pair.factors,
    relationshipId: pair.relationshipId,
    acceptedAt: isoOrNull(pair.acceptedAt),
  })),
  unmatched: run.unmatched,
  failure: run.failure,
  createdAt: iso(run.createdAt),
  completedAt: isoOrNull(run.completedAt),
});
