import { authorize } from '../permissions.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import type { Goal } from '../schemas/goal.ts';
import { loadGoals } from './load-goals.ts';

export async function listGoals(ctx: Ctx, input: { relationshipId: string }): Promise<Goal[]> {
  authorize(ctx.actor, 'listGoals');
  await loadRelationship(ctx, input.relationshipId);
  return loadGoals(ctx, { relationshipIds: [input.relationshipId] });
}
