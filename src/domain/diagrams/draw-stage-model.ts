import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { BUILT_IN_MODELS } from '../stage-models/index.ts';
import { stageModelDot } from '../stage-models/diagram.ts';

/** The DOT source of a built-in stage model; transports render it (SVG) or hand it out as is. */
export async function drawStageModel(ctx: Ctx, input: { key: string }): Promise<{ dot: string }> {
  authorize(ctx.actor, 'getStageModelDiagram');
  const model = BUILT_IN_MODELS.find((candidate) => candidate.key === input.key);
  if (!model) throw notFound('built-in stage model', input.key);
  return { dot: stageModelDot(model) };
}
