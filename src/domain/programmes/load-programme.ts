import { and, eq, inArray, sql } from 'drizzle-orm';
import { compiled } from '../../db/compiled.ts';
import { programmes, relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import type { ProgrammeRow } from './present-programme.ts';

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
