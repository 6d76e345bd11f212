import { authorize } from '../permissions.ts';
import type { z } from 'zod';
import { eq } from 'drizzle-orm';
import { programmes } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListProgrammesQuery, type Programme } from '../schemas/programme.ts';
import { parseInput } from '../validate.ts';
import { presentProgramme } from './present-programme.ts';

export async function listProgrammes(ctx: Ctx, rawQuery: z.input<typeof ListProgrammesQuery>): Promise<Page<Programme>> {
  authorize(ctx.actor, 'listProgrammes');
  const query = parseInput(ListProgrammesQuery, rawQuery);
  return listPage(ctx.db.select().from(programmes).$dynamic(), { query, key: byId(programmes.id), where: eq(programmes.orgId, ctx.actor.org) }, presentProgramme);
}
