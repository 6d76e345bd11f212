export type {
  Blocker,
  GoalFacts,
  GuardSnapshot,
  MovePlan,
  MoveTarget,
  NextStage,
  RelationshipPosition,
  StageModel,
  StageTransition,
  TransitionEndTarget,
} from './model.ts';
export { TRANSITION_END_TARGETS } from './model.ts';
export { BUILT_IN_MODELS, CLASSIC_4, DEFAULT_MODEL_KEY, FIVE_STAGE, getBuiltInModel } from './built-in.ts';
export { validateStageModel, type StageModelProblem, type StageModelValidation } from './validate-model.ts';
export { evaluateGuard, evaluateGuards } from './guards.ts';
export { allowedMoves, guardsOfMove, nextStages, planMove } from './plan-move.ts';
export { opensRound } from './rounds.ts';
