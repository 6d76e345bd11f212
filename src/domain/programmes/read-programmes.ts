import { authorize } from '../permissions.ts';
import type { z } from 'zod';
import { and, asc, eq } from 'drizzle-orm';
import { programmes } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { afterCursor, toPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListProgrammesQuery, type Programme } from '../schemas/programme.ts';
import { parseInput } from '../validate.ts';
import { presentProgramme, type ProgrammeRow } from './present-programme.ts';

export async function loadProgrammeRow(ctx: Ctx, id: string): Promise<ProgrammeRow> {
  const [row] = await ctx.db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, ctx.actor.org), eq(programmes.id, id)));
  if (!row) throw notFound('programme', id);
  return row;
}

export async function getProgramme(ctx: Ctx, input: { id: string }): Promise<Programme> {
  authorize(ctx.actor, 'getProgramme');
  return presentProgramme(await loadProgrammeRow(ctx, input.id));
}

export async function listProgrammes(ctx: Ctx, rawQuery: z.input<typeof ListProgrammesQuery>): Promise<Page<Programme>> {
  authorize(ctx.actor, 'listProgrammes');
  const query = parseInput(ListProgrammesQuery, rawQuery);
  const rows = await ctx.db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, ctx.actor.org), afterCursor(programmes.id, query.cursor)))
    .orderBy(asc(programmes.id))
    .limit(query.limit + 1);
  return toPage(rows, query.limit, presentProgramme);
}
