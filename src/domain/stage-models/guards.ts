import type { GuardName, Party } from '../../vocabulary.ts';
import type { Blocker, GoalFacts, GuardSnapshot } from './model.ts';

/** The blockers that keep `guard` from holding; [] means it holds. */
export function evaluateGuard(guard: GuardName, snapshot: GuardSnapshot): Blocker[] {
  switch (guard) {
    case 'both_accepted':
      return bothParties(snapshot.acceptedBy, guard, {
        mentor: ['MENTOR_NOT_ACCEPTED', 'The mentor has not yet said the fit is right.'],
        mentee: ['MENTEE_NOT_ACCEPTED', 'The mentee has not yet said the fit is right.'],
      });
    case 'discovery_held':
      return discoveryHeld(snapshot, guard);
    case 'agreement_set':
      return snapshot.agreementSet
        ? []
        : [{ code: 'AGREEMENT_NOT_SET', message: 'The agreement (contact, confidentiality, scope of help) has not been set.', guard }];
    case 'smart_goal_agreed':
      return smartGoalAgreed(snapshot, guard);
    case 'action_plan_ready':
      return actionPlanReady(agreedGoals(snapshot), guard);
    case 'goals_resolved':
      // Draft goals are ignored: they were never agreed, so there is nothing to resolve.
      // A goal marked achieved by one party is resolved only once the other confirms.
      return agreedGoals(snapshot).map((goal) =>
        goal.awaitingConfirmationBy
          ? {
            code: 'GOAL_ACHIEVEMENT_UNCONFIRMED',
            message: `Goal "${goal.title}" was marked achieved; the ${goal.awaitingConfirmationBy} has not confirmed it yet.`,
            guard,
            target: { type: 'goal', id: goal.id },
          }
          : {
            code: 'GOAL_NOT_RESOLVED',
            message: `Goal "${goal.title}" is still open: mark it achieved (the other party confirms), or drop it with a reason.`,
            guard,
            target: { type: 'goal', id: goal.id },
          });
    case 'reflections_recorded': {
      // Only this round's closing reflections count: a closure after a loop needs its own.
      const since = snapshot.round > 1 ? ` in round ${snapshot.round} (reflections of earlier closures stay in the history but do not count)` : '';
      return bothParties(snapshot.closingReflectionsBy, guard, {
        mentor: ['MENTOR_REFLECTION_MISSING', `The mentor has not written a closing reflection${since}.`],
        mentee: ['MENTEE_REFLECTION_MISSING', `The mentee has not written a closing reflection${since}.`],
      });
    }
  }
}

/** Every guard of a transition, blockers concatenated in guard order. */
export function evaluateGuards(guards: readonly GuardName[], snapshot: GuardSnapshot): Blocker[] {
  return guards.flatMap((guard) => evaluateGuard(guard, snapshot));
}

function discoveryHeld(snapshot: GuardSnapshot, guard: GuardName): Blocker[] {
  if (!snapshot.discoveryRequired) return [];
  if (snapshot.discoverySessionsHeld < 1) {
    return [{ code: 'DISCOVERY_NOT_HELD', message: 'The programme requires a discovery session; none has been held yet.', guard }];
  }
  const minimum = snapshot.discoveryMinMinutes ?? null;
  const longest = snapshot.discoveryLongestMinutes ?? null;
  if (minimum !== null && (longest === null || longest < minimum)) {
    return [{ code: 'DISCOVERY_TOO_SHORT', message: `The programme asks for a discovery call of at least ${minimum} minutes; the longest held lasted ${longest ?? 0}.`, guard }];
  }
  return [];
}

function bothParties(done: readonly Party[], guard: GuardName, missing: Record<Party, [string, string]>): Blocker[] {
  return (['mentor', 'mentee'] as const)
    .filter((party) => !done.includes(party))
    .map((party) => ({ code: missing[party][0], message: missing[party][1], guard }));
}

function agreedGoals(snapshot: GuardSnapshot): GoalFacts[] {
  return snapshot.goals.filter((goal) => goal.status === 'agreed');
}

function noAgreedGoal(guard: GuardName): Blocker {
  return { code: 'NO_AGREED_GOAL', message: 'No goal has been agreed by mentor and mentee yet.', guard };
}

/**
 * At least one goal agreed in the current round (a new goal, or an earlier one whose agreed terms
 * changed and were agreed again), and every open agreed goal, of any round, passes SMART.
 */
function smartGoalAgreed(snapshot: GuardSnapshot, guard: GuardName): Blocker[] {
  const agreed = agreedGoals(snapshot);
  if (agreed.length === 0 && snapshot.round === 1) return [noAgreedGoal(guard)];
  const missing = agreed.some((goal) => goal.round === snapshot.round) ? [] : [noGoalAgreedInRound(snapshot, guard)];
  return [...missing, ...agreed.flatMap((goal): Blocker[] => {
    const first = goal.smartFailures[0];
    if (!first) return [];
    return [{
      code: 'GOAL_FAILS_SMART',
      message: `Goal "${goal.title}" does not pass the SMART check: ${first.message}`,
      guard,
      target: { type: 'goal', id: goal.id },
    }];
  })];
}

/** Names the rule and the goals that would satisfy it: the drafts, once agreed (an edited goal is a draft again). */
function noGoalAgreedInRound(snapshot: GuardSnapshot, guard: GuardName): Blocker {
  const drafts = snapshot.goals.filter((goal) => goal.status === 'draft');
  const candidates = drafts.length > 0
    ? ` Agreeing ${drafts.length === 1 ? 'the draft' : 'one of the drafts'} ${drafts.map((goal) => `"${goal.title}"`).join(', ')} would do.`
    : ' Draft a new goal (it may name the goal it feeds into), or change an agreed one and agree it again.';
  return {
    code: 'NO_GOAL_AGREED_IN_ROUND',
    message: `No goal has been agreed in round ${snapshot.round}: a loop back asks for a new SMART goal, or an earlier one changed and agreed again.${candidates}`,
    guard,
    ...(drafts.length === 1 ? { target: { type: 'goal' as const, id: drafts[0]!.id } } : {}),
  };
}

/**
 * The round's goals are the goals open in it: agreed in it, or agreed earlier and still open. A loop
 * back to action planning (a round of its own) re-plans them without a new goal, as the model leads
 * from action planning only onwards: a new goal comes from a loop back to goal setting.
 */
function actionPlanReady(agreed: GoalFacts[], guard: GuardName): Blocker[] {
  // An action plan for no goal at all is not ready: there would be nothing to implement.
  if (agreed.length === 0) return [noAgreedGoal(guard)];
  return agreed.flatMap((goal): Blocker[] => {
    if (goal.tasks.length === 0) {
      return [{ code: 'GOAL_HAS_NO_TASKS', message: `Goal "${goal.title}" has no tasks in its action plan.`, guard, target: { type: 'goal', id: goal.id } }];
    }
    const goalDue = goal.dueOn;
    if (goalDue === null) return [];
    return goal.tasks.flatMap((task): Blocker[] => {
      const target = { type: 'task' as const, id: task.id };
      if (task.dueOn === null) {
        return [{ code: 'TASK_NOT_DATED', message: `Task "${task.title}" of goal "${goal.title}" has no due date; the goal is due ${goalDue}.`, guard, target }];
      }
      return dayOf(task.dueOn) > dayOf(goalDue)
        ? [{ code: 'TASK_DUE_AFTER_GOAL', message: `Task "${task.title}" is due ${task.dueOn}, after its goal "${goal.title}" (due ${goalDue}).`, guard, target }]
        : [];
    });
  });
}

// Due dates are ISO dates; a timestamp is cut to its day so the string comparison stays a date comparison.
function dayOf(isoDate: string): string {
  return isoDate.slice(0, 10);
}
