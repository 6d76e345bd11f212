import { authorize } from '../permissions.ts';
import type { Ctx } from '../context.ts';
import type { Goal } from '../schemas/goal.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';

export async function getGoal(ctx: Ctx, input: { relationshipId: string; goalId: string }): Promise<Goal> {
  authorize(ctx.actor, 'getGoal');
  const { goal } = await loadScopedGoal(ctx, input);
  return (await loadGoals(ctx, { goalIds: [goal.id] }))[0]!;
}
