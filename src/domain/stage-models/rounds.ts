import { moveDirection } from './direction.ts';
import type { StageModel } from './model.ts';

/**
 * Whether a move opens a new round of the relationship: a move back to a stage listed earlier in
 * the model (classic-4's growth → negotiation and closure → negotiation, five-stage's implementation →
 * goal_setting or action_planning and closure → goal_setting; a custom model's alike). Taking the
 * relationship back means drawing up new SMART goals. The diagrams draw the same moves dashed, and
 * events call them `direction: back`. Moves to an end state never open a round.
 */
export function opensRound(model: Pick<StageModel, 'stages'>, from: string, to: string): boolean {
  return model.stages.includes(from) && model.stages.includes(to) && moveDirection(model, from, to, 'active') === 'back';
}
