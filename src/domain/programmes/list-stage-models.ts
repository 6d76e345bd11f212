import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { BUILT_IN_MODELS, type StageModel } from '../stage-models/index.ts';

export async function listStageModels(ctx: Ctx, _input: Record<string, never> = {}): Promise<{ items: StageModel[] }> {
  authorize(ctx.actor, 'listStageModels');
  return { items: [...BUILT_IN_MODELS] };
}
