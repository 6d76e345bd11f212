import { and, eq } from 'drizzle-orm';
import { matchingRuns } from '../../db/schema.ts';
import { withTransaction, type Ctx } from '../context.ts';
import { SolveTimeoutError } from '../../solver/solve-assignment.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { failMatchingRun } from './fail-matching-run.ts';
import { fillMatchingRun } from './fill-matching-run.ts';
import { loadMatchingWorld } from './load-matching-world.ts';

/**
 * The scheduler's matching_run job: solves a run left pending, on the people and relationships as
 * they are now (mentees matched since are reported ALREADY_MATCHED). Does nothing once it is not pending.
 * A solve that outlives MATCHING_SOLVE_TIMEOUT fails the run at once (matching_run.failed): it
 * would take as long again on a retry.
 */
export async function completeMatchingRun(ctx: Ctx, input: { runId: string }): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const [run] = await tx.db
      .select()
      .from(matchingRuns)
      .where(and(eq(matchingRuns.orgId, tx.actor.org), eq(matchingRuns.id, input.runId)))
      .for('update');
    if (!run || run.status !== 'pending') return;
    const programme = await loadProgrammeRow(tx, run.programmeId);
    try {
      await fillMatchingRun(tx, run, programme, await loadMatchingWorld(tx, programme.id));
    } catch (error) {
      if (!(error instanceof SolveTimeoutError)) throw error;
      // Nothing is written before the solve: the run is still pending, and is marked failed in this transaction.
      await failMatchingRun(tx, { runId: run.id, failure: `${error.message}. Ask for fewer mentees or mentors, or a lower candidatesPerMentee.` });
    }
  });
}
