import { and, asc, eq } from 'drizzle-orm';
import { matchingPairs, matchingRuns } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { isUuid } from '../uuid.ts';
import type { MatchingPairRow, MatchingRunRow } from './present-matching-run.ts';

/** A run of the caller's organisation in the programme, with its pairs, or 404. */
export async function loadMatchingRun(tx: Ctx, programmeId: string, runId: string, options: { lock?: boolean } = {}): Promise<{ run: MatchingRunRow; pairs: MatchingPairRow[] }> {
  if (!isUuid(runId) || !isUuid(programmeId)) throw notFound('matching run', runId);
  const org = tx.actor.org;
  const read = tx.db
    .select()
    .from(matchingRuns)
    .where(and(eq(matchingRuns.orgId, org), eq(matchingRuns.programmeId, programmeId), eq(matchingRuns.id, runId)));
  const [run] = await (options.lock ? read.for('update') : read);
  if (!run) throw notFound('matching run', runId);
  const pairs = await tx.db
    .select()
    .from(matchingPairs)
    .where(and(eq(matchingPairs.orgId, org), eq(matchingPairs.runId, run.id)))
    .orderBy(asc(matchingPairs.id));
  return { run, pairs };
}
