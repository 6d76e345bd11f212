import { withTransaction, type Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { MatchingRun } from '../schemas/matching.ts';
import { loadMatchingRun } from './load-matching-run.ts';
import { presentMatchingRun } from './present-matching-run.ts';

export async function getMatchingRun(ctx: Ctx, input: { programmeId: string; runId: string }): Promise<MatchingRun> {
  authorize(ctx.actor, 'getMatchingRun');
  return withTransaction(ctx, async (tx) => {
    const { run, pairs } = await loadMatchingRun(tx, input.programmeId, input.runId);
    return presentMatchingRun(run, pairs);
  });
}
