import type { MoveDirection } from '../../vocabulary.ts';
import type { StageModel } from './model.ts';

/**
 * A move's direction, by the order of the model's stages (a custom model lists them in its own
 * order): to an earlier stage is back, to a later one forward, to no stage (completed, declined,
 * withdrawn) an exit.
 */
export function moveDirection(model: Pick<StageModel, 'stages'>, from: string | null, to: string, toStatus: string): MoveDirection {
  if (toStatus !== 'active') return 'exit';
  const [fromAt, toAt] = [from === null ? -1 : model.stages.indexOf(from), model.stages.indexOf(to)];
  return toAt < fromAt ? 'back' : 'forward';
}
