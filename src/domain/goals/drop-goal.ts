import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { DropGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import type { GoalIds } from './goal-facts.ts';
import { goalFacts } from './goal-facts.ts';

export async function dropGoal(ctx: Ctx, rawInput: GoalIds & { drop: z.input<typeof DropGoalInput> }): Promise<Goal> {
  authorize(ctx.actor, 'dropGoal');
  const { reason } = parseInput(DropGoalInput, rawInput.drop);
  return withAudit(ctx, { action: 'dropGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, rawInput, { lock: true });
    requireActive(relationship.row, 'resolve goals');
    if (goal.status === 'achieved' || goal.status === 'dropped') throw conflict(`The goal is already ${goal.status}.`);
    const now = tx.clock();
    await tx.db
      .update(goals)
      .set({ status: 'dropped', droppedAt: now, dropReason: reason, updatedAt: now })
      .where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    await recordEvent(tx, 'goal.dropped', goal.id, { ...goalFacts(relationship.row, goal), reason });
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
