import { invalid } from '../errors.ts';
import { DEFAULT_MODEL_KEY, getBuiltInModel, validateStageModel, type StageModel } from '../stage-models/index.ts';

/**
 * The stage model a programme asks for: a custom one (which must be sound), or a built-in one by
 * key (`classic-4` when neither is given). A model that cannot be used is the caller's bad input.
 */
export function stageModelOf(input: { stageModel?: Parameters<typeof validateStageModel>[0]; stageModelKey?: string }): StageModel {
  if (input.stageModel) {
    const checked = validateStageModel(input.stageModel);
    if (!checked.ok) {
      throw invalid(
        `The stage model is not sound: ${checked.problems.map((p) => p.message).join('; ')}`,
        checked.problems.map((p) => ({ path: `stageModel${p.path ? `.${p.path}` : ''}`, message: `${p.code}: ${p.message}` })),
      );
    }
    return checked.model;
  }
  const key = input.stageModelKey ?? DEFAULT_MODEL_KEY;
  const model = getBuiltInModel(key);
  if (!model) throw invalid(`No built-in stage model "${key}".`, [{ path: 'stageModelKey', message: 'must be classic-4 or five-stage' }]);
  return model;
}
