import { and, asc, eq } from 'drizzle-orm';
import { stageHistory } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import type { MoveDirection } from '../../vocabulary.ts';
import { moveDirection } from '../stage-models/direction.ts';
import type { StageModel } from '../stage-models/model.ts';

// The round of a relationship: 1, plus one for each loop back so far. Counted here from the stage
// history until relationships carry a `round` of their own; this file is the one place to swap.

/** The stage moves a relationship has made so far, oldest first. */
export const loadStageMoves = (ctx: Ctx, relationshipId: string) =>
  ctx.db
    .select({ from: stageHistory.fromStage, to: stageHistory.toStage, toStatus: stageHistory.toStatus })
    .from(stageHistory)
    .where(and(eq(stageHistory.orgId, ctx.actor.org), eq(stageHistory.relationshipId, relationshipId)))
    .orderBy(asc(stageHistory.version));

/** The round a relationship is in after a move in `direction`: a loop back opens the next one. */
export function roundAfterMove(moves: { from: string | null; to: string; toStatus: string | null }[], model: Pick<StageModel, 'stages'>, direction: MoveDirection): number {
  const loops = moves.filter((move) => moveDirection(model, move.from, move.to, move.toStatus ?? 'active') === 'back').length;
  return 1 + loops + (direction === 'back' ? 1 : 0);
}
