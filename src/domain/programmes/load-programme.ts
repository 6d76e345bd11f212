import { and, eq, inArray, sql } from 'drizzle-orm';
import { compiled, compiledByShape } from '../../db/compiled.ts';
import { programmes, relationships } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import type { ProgrammeRow } from './present-programme.ts';

type ProgrammeLock = 'key share' | 'update';

// One compiled read per lock strength ('none' for a plain read).
const programmeById = compiledByShape((db, lock) => {
  const read = db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, sql.placeholder('org')), eq(programmes.id, sql.placeholder('id'))));
  return lock === 'none' ? read : read.for(lock as ProgrammeLock);
});

/**
 * A programme of the caller's organisation, or 404. Changes that depend on its stage model lock it:
 * opening a relationship reads it FOR KEY SHARE and changing the model takes it FOR UPDATE, so the
 * two wait for each other and no relationship starts on a model that is being replaced.
 */
export async function loadProgrammeRow(ctx: Ctx, id: string, options: { lock?: ProgrammeLock } = {}): Promise<ProgrammeRow> {
  const [row] = await programmeById(ctx.db, options.lock ?? 'none', { org: ctx.actor.org, id });
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
