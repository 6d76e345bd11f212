import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { milestones } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import type { Goal } from '../schemas/goal.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import type { GoalIds } from './goal-facts.ts';
import { goalFacts } from './goal-facts.ts';

/** A little win to celebrate. Completing it again changes nothing. */
export async function completeMilestone(ctx: Ctx, input: GoalIds & { milestoneId: string }): Promise<Goal> {
  authorize(ctx.actor, 'completeMilestone');
  return withAudit(ctx, { action: 'completeMilestone', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, input, { lock: true });
    requireActive(relationship.row, 'complete milestones');
    const now = tx.clock();
    const [milestone] = await tx.db
      .select()
      .from(milestones)
      .where(and(eq(milestones.orgId, tx.actor.org), eq(milestones.goalId, goal.id), eq(milestones.id, input.milestoneId)));
    if (!milestone) throw notFound('milestone', input.milestoneId);
    if (!milestone.doneAt) {
      await tx.db.update(milestones).set({ doneAt: now }).where(eq(milestones.id, milestone.id));
      await recordEvent(tx, 'milestone.completed', milestone.id, { ...goalFacts(relationship.row, goal), milestoneId: milestone.id, title: milestone.title });
      await touchActivity(tx, relationship.row);
    }
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
