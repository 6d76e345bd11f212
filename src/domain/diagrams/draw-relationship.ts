import { and, asc, eq } from 'drizzle-orm';
import { stageHistory } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { stageModelDot } from '../stage-models/diagram.ts';

/**
 * A relationship drawn over its programme's model: where it stands, and every move of its
 * history (a loop taken twice shows twice). Members draw only their own relationships.
 */
export async function drawRelationship(ctx: Ctx, input: { id: string }): Promise<{ dot: string }> {
  authorize(ctx.actor, 'getRelationshipDiagram');
  const { row } = await loadRelationship(ctx, input.id);
  const [programme, moves] = await Promise.all([
    loadProgrammeRow(ctx, row.programmeId),
    ctx.db
      .select({ fromStage: stageHistory.fromStage, toStage: stageHistory.toStage, toStatus: stageHistory.toStatus })
      .from(stageHistory)
      .where(and(eq(stageHistory.orgId, ctx.actor.org), eq(stageHistory.relationshipId, row.id)))
      .orderBy(asc(stageHistory.version)),
  ]);
  return { dot: stageModelDot(programme.stageModel, { current: { stage: row.stage, status: row.status }, moves }) };
}
