import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import { loadRelationship, seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { GoalDraftInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';
import { requireMentorForRealism } from './scoped-goal.ts';
import { insertGoalParts } from './write-goal-parts.ts';
import { recordEvent } from '../events/record-event.ts';
import { goalFacts } from './goal-facts.ts';
import { checkParentGoal } from './goal-lineage.ts';

export async function createGoal(ctx: Ctx, rawInput: { relationshipId: string; goal: z.input<typeof GoalDraftInput> }): Promise<Goal> {
  authorize(ctx.actor, 'createGoal');
  const input = parseInput(GoalDraftInput, rawInput.goal);
  return withAudit(ctx, { action: 'createGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const relationship = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    requireActive(relationship.row, 'add goals');
    requireMentorForRealism(relationship, input.mentorConfirmedRealistic, seesWholeOrganisation(tx.actor));
    if (input.parentGoalId) await checkParentGoal(tx, { relationshipId: relationship.row.id, parentGoalId: input.parentGoalId });
    const now = tx.clock();
    const { metrics: _m, milestones: _ms, tasks: _t, ...fields } = input;
    const [row] = await tx.db
      .insert(goals)
      .values({ ...fields, orgId: tx.actor.org, relationshipId: relationship.row.id, createdAt: now, updatedAt: now })
      .returning();
    await insertGoalParts(tx, row!.id, input);
    await recordEvent(tx, 'goal.drafted', row!.id, { ...goalFacts(relationship.row, row!), focus: row!.focus, dueOn: row!.dueOn, parentGoalId: row!.parentGoalId });
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [row!.id] }))[0]!;
  });
}
