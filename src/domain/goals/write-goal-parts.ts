import { and, eq } from 'drizzle-orm';
import { goalMetrics, milestones, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import type { GoalDraftInput } from '../schemas/goal.ts';

/** Replaces whichever of a goal's metrics, milestones and tasks the input names. */
export async function replaceGoalParts(ctx: Ctx, goalId: string, input: Partial<GoalDraftInput>): Promise<void> {
  const org = ctx.actor.org;
  if (input.metrics) {
    await ctx.db.delete(goalMetrics).where(and(eq(goalMetrics.orgId, org), eq(goalMetrics.goalId, goalId)));
    if (input.metrics.length) {
      await ctx.db.insert(goalMetrics).values(
        input.metrics.map((m, position) => ({ orgId: org, goalId, position, name: m.name, baseline: m.baseline ?? null, target: m.target ?? null, unit: m.unit ?? null })),
      );
    }
  }
  if (input.milestones) {
    await ctx.db.delete(milestones).where(and(eq(milestones.orgId, org), eq(milestones.goalId, goalId)));
    if (input.milestones.length) {
      await ctx.db.insert(milestones).values(input.milestones.map((m, position) => ({ orgId: org, goalId, position, title: m.title, dueOn: m.dueOn ?? null })));
    }
  }
  if (input.tasks) {
    await ctx.db.delete(tasks).where(and(eq(tasks.orgId, org), eq(tasks.goalId, goalId)));
    if (input.tasks.length) {
      await ctx.db.insert(tasks).values(
        input.tasks.map((t, position) => ({ orgId: org, goalId, position, title: t.title, dueOn: t.dueOn ?? null, resources: t.resources ?? [] })),
      );
    }
  }
}
