import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals, milestones } from '../../db/schema.ts';
import type { Party } from '../../vocabulary.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadProgrammeRow } from '../programmes/read-programmes.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { AgreeGoalInput, DropGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import { smartReportFor } from './smart-for-goal.ts';

type GoalIds = { relationshipId: string; goalId: string };

/**
 * A party agrees to a goal; once both have, it is agreed. Nobody can agree to a goal that
 * fails the SMART check: the refusal carries the report, letter by letter.
 */
export async function agreeGoal(ctx: Ctx, rawInput: GoalIds & { agreement?: z.input<typeof AgreeGoalInput> }): Promise<Goal> {
  authorize(ctx.actor, 'agreeGoal');
  const input = parseInput(AgreeGoalInput, rawInput.agreement ?? {});
  return withAudit(ctx, { action: 'agreeGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, rawInput, { lock: true });
    requireActive(relationship.row, 'agree goals');
    if (goal.status !== 'draft') throw conflict(`The goal is already ${goal.status}.`);
    const parties: Party[] = seesWholeOrganisation(tx.actor) ? (input.parties ?? ['mentor', 'mentee']) : [relationship.party as Party];
    if (!seesWholeOrganisation(tx.actor) && input.parties?.some((p) => p !== relationship.party)) {
      throw new DomainError('FORBIDDEN', `You may only agree as the ${relationship.party}.`);
    }

    const [current] = await loadGoals(tx, { goalIds: [goal.id] });
    const programme = await loadProgrammeRow(tx, relationship.row.programmeId);
    const report = smartReportFor(tx, current!, programme, relationship.row);
    if (!report.passed) {
      const failing = Object.entries(report.letters).filter(([, letter]) => !letter.passed).map(([name]) => name);
      throw new DomainError('SMART_FAILED', `The goal "${goal.title}" fails SMART on: ${failing.join(', ')}.`, { report });
    }

    const now = tx.clock();
    const mentorAt = parties.includes('mentor') ? (goal.agreedByMentorAt ?? now) : goal.agreedByMentorAt;
    const menteeAt = parties.includes('mentee') ? (goal.agreedByMenteeAt ?? now) : goal.agreedByMenteeAt;
    const agreed = mentorAt !== null && menteeAt !== null;
    await tx.db
      .update(goals)
      .set({ agreedByMentorAt: mentorAt, agreedByMenteeAt: menteeAt, ...(agreed ? { status: 'agreed' as const, agreedAt: now } : {}), updatedAt: now })
      .where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    if (agreed) await recordEvent(tx, 'goal.agreed', goal.id, goalFacts(relationship.row.id, goal.id, goal.title));
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}

export async function achieveGoal(ctx: Ctx, input: GoalIds): Promise<Goal> {
  authorize(ctx.actor, 'achieveGoal');
  return withAudit(ctx, { action: 'achieveGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, input, { lock: true });
    requireActive(relationship.row, 'resolve goals');
    if (goal.status !== 'agreed') throw conflict(`Only an agreed goal can be achieved; this one is ${goal.status}.`);
    const now = tx.clock();
    await tx.db.update(goals).set({ status: 'achieved', achievedAt: now, updatedAt: now }).where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    await recordEvent(tx, 'goal.achieved', goal.id, goalFacts(relationship.row.id, goal.id, goal.title));
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}

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
    await recordEvent(tx, 'goal.dropped', goal.id, { ...goalFacts(relationship.row.id, goal.id, goal.title), reason });
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}

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
      await recordEvent(tx, 'milestone.completed', milestone.id, { ...goalFacts(relationship.row.id, goal.id, goal.title), milestoneId: milestone.id, title: milestone.title });
      await touchActivity(tx, relationship.row);
    }
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}

const goalFacts = (relationshipId: string, goalId: string, title: string) => ({ relationshipId, goalId, title });
