import { and, eq } from 'drizzle-orm';
import { matchingRuns } from '../../db/schema.ts';
import { withTransaction, type Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';

/**
 * A background run the scheduler could not solve in any of its attempts: it is marked failed with
 * the last error, so a poller stops waiting, and `matching_run.failed` tells those who listen.
 * Does nothing once the run is not pending.
 */
export async function failMatchingRun(ctx: Ctx, input: { runId: string; failure: string }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [failed] = await tx.db
      .update(matchingRuns)
      .set({ status: 'failed', failure: input.failure, completedAt: tx.clock() })
      .where(and(eq(matchingRuns.orgId, tx.actor.org), eq(matchingRuns.id, input.runId), eq(matchingRuns.status, 'pending')))
      .returning({ id: matchingRuns.id, programmeId: matchingRuns.programmeId });
    if (!failed) return;
    await recordEvent(tx, 'matching_run.failed', failed.id, { runId: failed.id, programmeId: failed.programmeId, failure: input.failure });
  });
}
