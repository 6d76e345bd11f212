/** A goal as a path names it: its relationship, and itself. */
export type GoalIds = { relationshipId: string; goalId: string };

/**
 * What every goal event says of its goal, with the relationship's version when it happened: goal,
 * task and metric changes leave the version as it is, so an integrator orders them by the event's
 * position and knows which relationship state they belong to.
 */
export const goalFacts = (relationship: { id: string; version: number }, goal: { id: string; title: string }) => ({
  relationshipId: relationship.id,
  goalId: goal.id,
  title: goal.title,
  version: relationship.version,
});
