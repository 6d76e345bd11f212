import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { distinctIds, visibilityOf } from '../relationships/visibility.ts';
import type { Goal } from '../schemas/goal.ts';
import { loadGoals } from './load-goals.ts';

/** The goals of many relationships at once, of those the caller may see (GraphQL's loaders). */
export async function loadGoalsByRelationships(ctx: Ctx, input: { relationshipIds: string[] }): Promise<Goal[]> {
  authorize(ctx.actor, 'listGoals');
  return loadGoals(ctx, { relationshipIds: distinctIds(input.relationshipIds), visibility: visibilityOf(ctx.actor) });
}
