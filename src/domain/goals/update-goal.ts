import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { UpdateGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal, requireMentorForRealism } from './scoped-goal.ts';
import { replaceGoalParts } from './write-goal-parts.ts';

/**
 * Edits a draft or agreed goal. Changing an agreed goal sends it back to draft: both parties
 * agree again to what it has become.
 */
export async function updateGoal(
  ctx: Ctx,
  rawInput: { relationshipId: string; goalId: string; changes: z.input<typeof UpdateGoalInput> },
): Promise<Goal> {
  authorize(ctx.actor, 'updateGoal');
  const changes = parseInput(UpdateGoalInput, rawInput.changes);
  return withAudit(ctx, { action: 'updateGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, rawInput, { lock: true });
    requireActive(relationship.row, 'edit goals');
    if (goal.status === 'achieved' || goal.status === 'dropped') throw conflict(`The goal is ${goal.status}; it can no longer be edited.`);
    requireMentorForRealism(relationship, changes.mentorConfirmedRealistic, seesWholeOrganisation(tx.actor));
    const { metrics: _m, milestones: _ms, tasks: _t, ...fields } = changes;
    const backToDraft = goal.status === 'agreed' ? { status: 'draft' as const, agreedAt: null, agreedByMentorAt: null, agreedByMenteeAt: null } : {};
    await tx.db
      .update(goals)
      .set({ ...fields, ...backToDraft, updatedAt: tx.clock() })
      .where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    await replaceGoalParts(tx, goal.id, changes);
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
