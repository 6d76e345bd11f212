import type { StageModel } from './model.ts';

/**
 * Whether a move opens a new round of the relationship: a move back to a stage listed earlier in
 * the model (classic-4's growth → negotiation and closure → negotiation, five-stage's implementation →
 * goal_setting or action_planning and closure → goal_setting; a custom model's alike). Seed 000:
 * "taking your relationship back to the negotiation stage. This means you'll need to draw up new SMART
 * goals". The diagrams draw the same moves dashed. Moves to an end state never open a round.
 */
export function opensRound(model: Pick<StageModel, 'stages'>, from: string, to: string): boolean {
  const target = model.stages.indexOf(to);
  const source = model.stages.indexOf(from);
  return target >= 0 && source >= 0 && target < source;
}
