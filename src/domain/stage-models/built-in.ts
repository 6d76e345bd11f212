import type { StageModel } from './model.ts';

/** The default model (seed 000): initiation, negotiation, growth, closure. */
export const CLASSIC_4: StageModel = {
  key: 'classic-4',
  name: 'Classic four stages',
  start: 'initiation',
  stages: ['initiation', 'negotiation', 'growth', 'closure'],
  transitions: [
    { from: 'initiation', to: 'negotiation', guards: ['both_accepted', 'discovery_held'] },
    { from: 'negotiation', to: 'growth', guards: ['agreement_set', 'smart_goal_agreed'] },
    { from: 'growth', to: 'negotiation', guards: [] },
    { from: 'growth', to: 'closure', guards: ['goals_resolved'] },
    { from: 'closure', to: 'negotiation', guards: [] },
    { from: 'closure', to: 'completed', guards: ['reflections_recorded'] },
    { from: 'initiation', to: 'declined', guards: [] },
  ],
};

/** Seed 001: goal setting is split into goal setting, action planning and implementation. */
export const FIVE_STAGE: StageModel = {
  key: 'five-stage',
  name: 'Five stages',
  start: 'rapport',
  stages: ['rapport', 'goal_setting', 'action_planning', 'implementation', 'closure'],
  transitions: [
    { from: 'rapport', to: 'goal_setting', guards: ['both_accepted', 'discovery_held'] },
    { from: 'goal_setting', to: 'action_planning', guards: ['agreement_set', 'smart_goal_agreed'] },
    { from: 'action_planning', to: 'implementation', guards: ['action_plan_ready'] },
    { from: 'implementation', to: 'goal_setting', guards: [] },
    { from: 'implementation', to: 'action_planning', guards: [] },
    { from: 'implementation', to: 'closure', guards: ['goals_resolved'] },
    { from: 'closure', to: 'goal_setting', guards: [] },
    { from: 'closure', to: 'completed', guards: ['reflections_recorded'] },
    { from: 'rapport', to: 'declined', guards: [] },
  ],
};

// Frozen because they are shared module state: an accidental edit would change every programme.
export const BUILT_IN_MODELS: readonly StageModel[] = Object.freeze([deepFreeze(CLASSIC_4), deepFreeze(FIVE_STAGE)]);

export const DEFAULT_MODEL_KEY = 'classic-4';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A fresh copy, so a caller that edits it cannot change the built-in for everyone. */
export function getBuiltInModel(key: string): StageModel | undefined {
  const model = BUILT_IN_MODELS.find((candidate) => candidate.key === key);
  return model ? structuredClone(model) : undefined;
}
