import { and, eq } from 'drizzle-orm';
import { goalMetrics } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import type { GoalIds } from '../goals/goal-facts.ts';
import { loadScopedGoal } from '../goals/scoped-goal.ts';

export type MetricIds = GoalIds & { metricId: string };

/** A metric of a goal of a relationship the caller may see (locked with them for a change); otherwise 404. */
export async function loadScopedMetric(ctx: Ctx, ids: MetricIds, options: { lock?: boolean } = {}) {
  const { goal, relationship } = await loadScopedGoal(ctx, ids, options);
  const [metric] = await ctx.db
    .select()
    .from(goalMetrics)
    .where(and(eq(goalMetrics.orgId, ctx.actor.org), eq(goalMetrics.goalId, goal.id), eq(goalMetrics.id, ids.metricId)));
  if (!metric) throw notFound('metric', ids.metricId);
  return { goal, relationship, metric };
}
