/** A goal as a path names it: its relationship, and itself. */
export type GoalIds = { relationshipId: string; goalId: string };

/** What every goal event says of its goal. */
export const goalFacts = (relationshipId: string, goalId: string, title: string) => ({ relationshipId, goalId, title });
