import { authorize } from '../permissions.ts';
import type { Ctx } from '../context.ts';
import type { Programme } from '../schemas/programme.ts';
import { presentProgramme } from './present-programme.ts';
import { loadProgrammeRow } from './load-programme.ts';

export async function getProgramme(ctx: Ctx, input: { id: string }): Promise<Programme> {
  authorize(ctx.actor, 'getProgramme');
  return presentProgramme(await loadProgrammeRow(ctx, input.id));
}
