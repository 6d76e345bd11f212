import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals, type GoalAchievementData, type PartyAct } from '../../db/schema.ts';
import type { Party } from '../../vocabulary.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, conflict, invalid } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { AchieveGoalInput, type Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { achievementEvidence } from './achievement-evidence.ts';
import { loadGoals } from './load-goals.ts';
import { loadScopedGoal } from './scoped-goal.ts';
import type { GoalIds } from './goal-facts.ts';
import { goalFacts } from './goal-facts.ts';

/**
 * "Achieved" takes both parties: one marks it, on its evidence (every metric at or past its target,
 * or every milestone done) or with a reason (`achievedDespite`), and the other confirms; until then
 * the goal stays agreed, its achievement pending, and `goals_resolved` still waits for it. Staff act
 * for the parties they name (both by default), each act recorded as on their behalf.
 */
export async function achieveGoal(ctx: Ctx, rawInput: GoalIds & { achievement?: z.input<typeof AchieveGoalInput> }): Promise<Goal> {
  authorize(ctx.actor, 'achieveGoal');
  const input = parseInput(AchieveGoalInput, rawInput.achievement ?? {});
  return withAudit(ctx, { action: 'achieveGoal', subjectType: 'goal', subjectId: (goal) => goal.id }, async (tx) => {
    const { goal, relationship } = await loadScopedGoal(tx, rawInput, { lock: true });
    requireActive(relationship.row, 'resolve goals');
    if (goal.status !== 'agreed') throw conflict(`Only an agreed goal can be achieved; this one is ${goal.status}.`);
    const staff = seesWholeOrganisation(tx.actor);
    if (!staff && input.parties?.some((p) => p !== relationship.party)) throw new DomainError('FORBIDDEN', `You may only act as the ${relationship.party}.`);
    const parties: Party[] = staff ? [...new Set<Party>(input.parties ?? ['mentor', 'mentee'])] : [relationship.party as Party];
    const act = (party: Party): PartyAct => ({ party, actor: tx.actor.sub, at: tx.clock().toISOString(), onBehalf: staff });

    let achievement: GoalAchievementData;
    const pending = goal.achievement;
    if (pending) {
      const confirming = parties.find((party) => party !== pending.marked.party);
      if (!confirming) throw conflict(`The ${pending.marked.party} marked this goal achieved; it waits for the ${other(pending.marked.party)} to confirm.`);
      achievement = { ...pending, confirmed: act(confirming) };
    } else {
      const [current] = await loadGoals(tx, { goalIds: [goal.id] });
      const evidence = achievementEvidence(current!);
      if (!evidence.evidenced && !input.achievedDespite) {
        throw invalid(`The evidence does not say "${goal.title}" is achieved (${evidence.missing.join('; ')}): give achievedDespite, the reason it is achieved all the same.`, [
          { path: 'achievedDespite', message: 'is required when the metrics and milestones do not show the goal achieved' },
        ]);
      }
      const [marker, confirmer] = parties as [Party, Party | undefined];
      achievement = { basis: evidence.evidenced ? 'evidence' : 'reason', reason: input.achievedDespite ?? null, marked: act(marker), confirmed: confirmer ? act(confirmer) : null };
    }

    const now = tx.clock();
    const confirmed = achievement.confirmed !== null;
    await tx.db
      .update(goals)
      .set({ achievement, ...(confirmed ? { status: 'achieved' as const, achievedAt: now } : {}), updatedAt: now })
      .where(and(eq(goals.orgId, tx.actor.org), eq(goals.id, goal.id)));
    await recordEvent(tx, confirmed ? 'goal.achieved' : 'goal.achievement_marked', goal.id, { ...goalFacts(relationship.row, goal), ...achievement });
    await touchActivity(tx, relationship.row);
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}

const other = (party: Party): Party => (party === 'mentor' ? 'mentee' : 'mentor');
