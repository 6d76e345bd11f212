import type { GuardName, Party, RelationshipStatus } from '../../vocabulary.ts';

/** Where a listed transition may lead besides another stage. `withdrawn` is implicit, never listed. */
export const TRANSITION_END_TARGETS = ['completed', 'declined'] as const;
export type TransitionEndTarget = (typeof TRANSITION_END_TARGETS)[number];

export interface StageTransition {
  from: string;
  /** A stage, or 'completed' | 'declined'. */
  to: string;
  guards: GuardName[];
}

/** Identical in shape to StageModelData in src/db/schema.ts: it is stored as jsonb. */
export interface StageModel {
  key: string;
  name: string;
  start: string;
  stages: string[];
  transitions: StageTransition[];
}

/** The facts the database layer gathers for one relationship. */
export interface GuardSnapshot {
  /** Parties that said the fit is right. */
  acceptedBy: Party[];
  discoveryRequired: boolean;
  discoverySessionsHeld: number;
  /** The longest held discovery call, in minutes (null: none held). */
  discoveryLongestMinutes?: number | null;
  /** The programme's minimum length for the discovery call to count (null or absent: any length). */
  discoveryMinMinutes?: number | null;
  agreementSet: boolean;
  /** The relationship's current round (1 at the start; each move back to an earlier stage opens the next). */
  round: number;
  goals: GoalFacts[];
  /** Parties that wrote a closing reflection in the current round (earlier rounds' stay in the history, and do not count). */
  closingReflectionsBy: Party[];
}

export interface GoalFacts {
  id: string;
  title: string;
  status: 'draft' | 'agreed' | 'achieved' | 'dropped';
  dueOn: string | null;
  /** The round in which the goal was (last) agreed; null while it never was. */
  round: number | null;
  /** When one party marked it achieved and the other has yet to confirm: the party awaited. */
  awaitingConfirmationBy?: Party | null;
  /** SMART failures as of now (empty = passes). */
  smartFailures: { code: string; message: string }[];
  tasks: { id: string; title: string; dueOn: string | null }[];
}

export interface Blocker {
  code: string;
  message: string;
  guard: GuardName;
  target?: { type: 'goal' | 'task'; id: string };
}

/** A stage name, or 'completed' | 'declined' | 'withdrawn'. */
export type MoveTarget = string;

export interface RelationshipPosition {
  stage: string;
  status: RelationshipStatus;
}

export type MovePlan =
  | { kind: 'not_allowed'; allowed: MoveTarget[]; reason: 'not_active' | 'no_such_move' }
  | { kind: 'blocked'; blockers: Blocker[] }
  /** For end states toStage is the current stage. */
  | { kind: 'ok'; toStage: string; toStatus: RelationshipStatus };

export interface NextStage {
  stage: MoveTarget;
  allowed: boolean;
  blockers: Blocker[];
}
