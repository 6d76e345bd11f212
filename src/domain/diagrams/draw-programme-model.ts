import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { stageModelDot } from '../stage-models/diagram.ts';

/** The DOT source of the stage model a programme runs on, built-in or custom. */
export async function drawProgrammeModel(ctx: Ctx, input: { id: string }): Promise<{ dot: string }> {
  authorize(ctx.actor, 'getProgrammeStageModelDiagram');
  const programme = await loadProgrammeRow(ctx, input.id);
  return { dot: stageModelDot(programme.stageModel) };
}
