import { and, eq } from 'drizzle-orm';
import { compiled, isAnyOf, param } from '../../db/compiled.ts';
import { programmes } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { distinctIds } from '../relationships/visibility.ts';
import type { Programme } from '../schemas/programme.ts';
import { presentProgramme, type ProgrammeRow } from './present-programme.ts';

const programmesIn = compiled((db) => db.select().from(programmes).where(and(eq(programmes.orgId, param('org')), isAnyOf(programmes.id, 'ids'))));

/** The caller's organisation's programmes among `ids`, in one statement. */
export async function programmeRowsIn(ctx: Ctx, ids: string[]): Promise<ProgrammeRow[]> {
  const wanted = distinctIds(ids);
  if (wanted.length === 0) return [];
  return programmesIn(ctx.db, { org: ctx.actor.org, ids: wanted });
}

/** Programmes by id, many at once, with the single read's permission (GraphQL's loaders). */
export async function loadProgrammesByIds(ctx: Ctx, input: { ids: string[] }): Promise<Programme[]> {
  authorize(ctx.actor, 'getProgramme');
  return (await programmeRowsIn(ctx, input.ids)).map(presentProgramme);
}
