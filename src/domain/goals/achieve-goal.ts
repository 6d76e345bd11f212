import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { goals } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import type { Goal } from '../schemas/goal.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import type { GoalIds } from './goal-facts.ts';
import { goalFacts } from './goal-facts.ts';

export async function achieveGoal(ctx: Ctx, input: GoalIds): Promise<Goal> {
  authorize(ctx.actor, 'achieveGoal');
  return withAudit(ctx, { action: 'achieveGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, input, { lock: true });
    requireActive(relationship.row, 'resolve goals');
    if (goal.status !== 'agreed') throw conflict(`Only an agreed goal can be achieved; this one is ${goal.status}.`);
    const now = tx.clock();
    await tx.db.update(goals).set({ status: 'achieved', achievedAt: now, updatedAt: now }).where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    await recordEvent(tx, 'goal.achieved', goal.id, goalFacts(relationship.row, goal));
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
