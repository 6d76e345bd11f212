import type { GuardName } from '../../vocabulary.ts';

/**
 * What each guard of the catalogue demands, in words (docs/stage-models.md is generated from this
 * and the built-in models). A new guard does not compile until it is described here.
 */
export const GUARD_DESCRIPTIONS: Readonly<Record<GuardName, string>> = {
  both_accepted: 'The mentor and the mentee have each said the fit is right.',
  discovery_held:
    "Only when the programme requires a discovery session: one has been held, at least as long as the programme's minimum length when it sets one.",
  agreement_set: 'The agreement is set: contact channel and hours, confidentiality, what the mentor can and cannot help with.',
  smart_goal_agreed:
    'At least one goal is agreed by both in the current round (after a loop back: a new goal, or an earlier one changed and agreed again), and every agreed goal passes the SMART check.',
  action_plan_ready: "Every agreed goal still open in the round has at least one task, each due on or before the goal's due date.",
  goals_resolved:
    'No agreed goal is still open: each is achieved (marked by one party, on its evidence or with a reason, and confirmed by the other), or dropped with a reason (drafts are ignored).',
  reflections_recorded: 'The mentor and the mentee have each written a closing reflection in the current round (those of an earlier closure do not count).',
};
