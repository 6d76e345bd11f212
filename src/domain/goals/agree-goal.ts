import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import type { Party } from '../../vocabulary.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { AgreeGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import { smartReportFor } from './smart-for-goal.ts';
import type { GoalIds } from './goal-facts.ts';
import { goalFacts } from './goal-facts.ts';

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
      .set({ agreedByMentorAt: mentorAt, agreedByMenteeAt: menteeAt, ...(agreed ? { status: 'agreed' as const, agreedAt: now, round: relationship.row.round, reopenedAt: null, reopenedBecause: null } : {}), updatedAt: now })
      .where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    if (agreed) await recordEvent(tx, 'goal.agreed', goal.id, { ...goalFacts(relationship.row, goal), round: relationship.row.round });
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
