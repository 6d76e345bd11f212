import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { BUILT_IN_MODELS, type StageModel } from '../stage-models/index.ts';

export async function getStageModel(ctx: Ctx, input: { key: string }): Promise<StageModel> {
  authorize(ctx.actor, 'getStageModel');
  const model = BUILT_IN_MODELS.find((m) => m.key === input.key);
  if (!model) throw notFound('built-in stage model', input.key);
  return model;
}
