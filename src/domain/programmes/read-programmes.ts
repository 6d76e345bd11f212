import { authorize } from '../permissions.ts';
import type { z } from 'zod';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { compiled } from '../../db/compiled.ts';
import { programmes, relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { byId, listPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListProgrammesQuery, type Programme } from '../schemas/programme.ts';
import { parseInput } from '../validate.ts';
import { presentProgramme, type ProgrammeRow } from './present-programme.ts';

const programmeById = compiled((db) =>
  db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, sql.placeholder('org')), eq(programmes.id, sql.placeholder('id')))),
);

export async function loadProgrammeRow(ctx: Ctx, id: string): Promise<ProgrammeRow> {
  const [row] = await programmeById(ctx.db, { org: ctx.actor.org, id });
  if (!row) throw notFound('programme', id);
  return row;
}

const programmeOfRelationship = compiled((db) =>
  db
    .select()
    .from(programmes)
    .where(
      and(
        eq(programmes.orgId, sql.placeholder('org')),
        inArray(
          programmes.id,
          db
            .select({ id: relationships.programmeId })
            .from(relationships)
            .where(and(eq(relationships.orgId, sql.placeholder('org')), eq(relationships.id, sql.placeholder('relationshipId')))),
        ),
      ),
    ),
);

/**
 * The programme of a relationship, by the relationship's id: a relationship never changes
 * programme, so this can be read beside the relationship's own (locking) read, not after it.
 * Undefined when there is no such relationship in the caller's organisation.
 */
export async function loadProgrammeOfRelationship(ctx: Ctx, relationshipId: string): Promise<ProgrammeRow | undefined> {
  const [row] = await programmeOfRelationship(ctx.db, { org: ctx.actor.org, relationshipId });
  return row;
}

export async function getProgramme(ctx: Ctx, input: { id: string }): Promise<Programme> {
  authorize(ctx.actor, 'getProgramme');
  return presentProgramme(await loadProgrammeRow(ctx, input.id));
}

export async function listProgrammes(ctx: Ctx, rawQuery: z.input<typeof ListProgrammesQuery>): Promise<Page<Programme>> {
  authorize(ctx.actor, 'listProgrammes');
  const query = parseInput(ListProgrammesQuery, rawQuery);
  return listPage(ctx.db.select().from(programmes).$dynamic(), { query, key: byId(programmes.id), where: eq(programmes.orgId, ctx.actor.org) }, presentProgramme);
}
