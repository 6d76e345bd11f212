import { and, eq } from 'drizzle-orm';
import { goals } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';

/**
 * A goal may name the goal it feeds into: one of the same relationship, and never itself or a goal
 * that feeds (however indirectly) into it, so lineage stays a tree. A relationship holds a handful of
 * goals, so its whole lineage is read at once rather than walked row by row.
 */
export async function checkParentGoal(ctx: Ctx, input: { relationshipId: string; parentGoalId: string; goalId?: string }): Promise<void> {
  const lineage = await ctx.db
    .select({ id: goals.id, parentGoalId: goals.parentGoalId })
    .from(goals)
    .where(and(eq(goals.orgId, ctx.actor.org), eq(goals.relationshipId, input.relationshipId)));
  const parentOf = new Map(lineage.map((goal) => [goal.id, goal.parentGoalId]));
  if (!parentOf.has(input.parentGoalId)) {
    throw invalid('The parent goal must be a goal of the same relationship.', [{ path: 'parentGoalId', message: 'is not a goal of this relationship' }]);
  }
  for (let at: string | null | undefined = input.parentGoalId, steps = 0; at && steps <= lineage.length; at = parentOf.get(at), steps++) {
    if (at === input.goalId) {
      throw invalid('A goal cannot feed into itself, directly or through its own sub-goals.', [{ path: 'parentGoalId', message: 'would make a cycle' }]);
    }
  }
}
