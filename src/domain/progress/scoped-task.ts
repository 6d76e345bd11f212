import { and, eq } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import type { GoalIds } from '../goals/goal-facts.ts';
import { loadScopedGoal } from '../goals/scoped-goal.ts';
import { requireActive } from '../relationships/change-relationship.ts';

export type TaskIds = GoalIds & { taskId: string };

/**
 * A task of a goal the caller may work on, locked with its goal and relationship: the relationship
 * is active and the goal still open (draft or agreed). Planning and doing the work never touches
 * the goal's agreement.
 */
export async function loadTaskForWork(ctx: Ctx, ids: TaskIds, what: string) {
  const { goal, relationship } = await loadScopedGoal(ctx, ids, { lock: true });
  requireActive(relationship.row, what);
  if (goal.status === 'achieved' || goal.status === 'dropped') throw conflict(`The goal is ${goal.status}; you cannot ${what} any more.`);
  const [task] = await ctx.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.orgId, ctx.actor.org), eq(tasks.goalId, goal.id), eq(tasks.id, ids.taskId)))
    .for('update');
  if (!task) throw notFound('task', ids.taskId);
  return { goal, relationship, task };
}
