import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { UpdateGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { changedFields, changedTerms } from './agreed-terms.ts';
import { goalFacts } from './goal-facts.ts';
import { checkParentGoal } from './goal-lineage.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal, requireMentorForRealism } from './scoped-goal.ts';
import { updateGoalParts } from './write-goal-parts.ts';

/**
 * Edits a draft or agreed goal, keeping its parts' identity (see updateGoalParts). Only a change to
 * the agreed terms (changedTerms) sends an agreed goal back to draft, and clears any party's
 * agreement to the old terms; the goal says which terms did it (`reopened`), as does the event.
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
    if (changes.parentGoalId) await checkParentGoal(tx, { relationshipId: relationship.row.id, parentGoalId: changes.parentGoalId, goalId: goal.id });
    const [before] = await loadGoals(tx, { goalIds: [goal.id] });
    const { metrics: _m, milestones: _ms, tasks: _t, ...fields } = changes;
    const now = tx.clock();
    const where = and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id));
    await tx.db.update(goals).set({ ...fields, updatedAt: now }).where(where);
    await updateGoalParts(tx, goal.id, changes);
    let [after] = await loadGoals(tx, { goalIds: [goal.id] });

    const terms = changedTerms(before!, after!);
    const agreedBefore = goal.agreedByMentorAt !== null || goal.agreedByMenteeAt !== null;
    if (terms.length && agreedBefore) {
      const reopened = goal.status === 'agreed' ? { status: 'draft' as const, reopenedAt: now, reopenedBecause: terms } : {};
      // A pending "achieved" was about the old terms: it goes with them.
      await tx.db.update(goals).set({ ...reopened, agreedAt: null, agreedByMentorAt: null, agreedByMenteeAt: null, achievement: null }).where(where);
      [after] = await loadGoals(tx, { goalIds: [goal.id] });
    }
    const reopenedAgreement = goal.status === 'agreed' && after!.status === 'draft' ? terms : [];
    await recordEvent(tx, 'goal.updated', goal.id, { ...goalFacts(relationship.row, after!), status: after!.status, changed: changedFields(before!, after!), reopenedAgreement });
    await touchActivity(tx, relationship.row);
    return after!;
  });
}
