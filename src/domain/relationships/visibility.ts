import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.ts';
import { compiledByShape, isAnyOf, param } from '../../db/compiled.ts';
import { people, relationships } from '../../db/schema.ts';
import { seesWholeOrganisation } from '../access.ts';
import type { Actor, Ctx } from '../context.ts';
import { isUuid } from '../uuid.ts';

/**
 * Which relationships a batch read may return, as part of its own statement rather than a read
 * before it: organisation roles see their organisation's (every statement filters on it already);
 * a member sees those they are a party to, found by their token's subject (a Tandem person id or
 * an HRIS externalId, as actorPersonId reads it). A compiled statement is built once per kind.
 */
export type Visibility = 'organisation' | 'own-by-id' | 'own-by-external-id';

export const visibilityOf = (actor: Actor): Visibility =>
  seesWholeOrganisation(actor) ? 'organisation' : isUuid(actor.sub) ? 'own-by-id' : 'own-by-external-id';

/**
 * The condition keeping `relationshipId` to relationships the caller may see: none for organisation
 * roles, for members a subquery on their own relationships. Its values are `org` and `sub`.
 */
export function visibleRelationship(db: Database, relationshipId: PgColumn, visibility: Visibility): SQL | undefined {
  if (visibility === 'organisation') return undefined;
  const sub = param('sub');
  // The member's person, as actorPersonId finds it: one row at most.
  const self = db
    .select({ id: people.id })
    .from(people)
    .where(
      and(
        eq(people.orgId, param('org')),
        visibility === 'own-by-id' ? or(eq(people.id, sub), eq(people.externalId, sub)) : eq(people.externalId, sub),
        // A de-provisioned person stands for no one (as in actorPersonId).
        eq(people.active, true),
      ),
    )
    .limit(1);
  const own = db
    .select({ id: relationships.id })
    .from(relationships)
    .where(and(eq(relationships.orgId, param('org')), or(eq(relationships.mentorId, sql`(${self})`), eq(relationships.menteeId, sql`(${self})`))));
  return inArray(relationshipId, own);
}

/** The ids of a batch: well-formed (a malformed id matches nothing; it must not fail the statement), lower case, each once. */
export const distinctIds = (ids: string[]): string[] => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];

/**
 * A batch read of what belongs to many relationships (the relationships themselves, their
 * sessions, reflections, history): the table's rows of the caller's organisation whose
 * `relationshipId` is among a batch's ids and visible to the caller, in id order. One statement,
 * compiled once per visibility.
 */
export function readByRelationships<T extends PgTable & { orgId: PgColumn; id: PgColumn }>(table: T, relationshipId: PgColumn) {
  const statement = compiledByShape((db, visibility) =>
    db
      .select()
      .from(table as PgTable)
      .where(and(eq(table.orgId, param('org')), isAnyOf(relationshipId, 'ids'), visibleRelationship(db, relationshipId, visibility as Visibility)))
      .orderBy(asc(table.id)),
  );
  return async (ctx: Ctx, relationshipIds: string[]): Promise<T['$inferSelect'][]> => {
    const ids = distinctIds(relationshipIds);
    if (ids.length === 0) return [];
    return (await statement(ctx.db, visibilityOf(ctx.actor), { org: ctx.actor.org, sub: ctx.actor.sub, ids })) as T['$inferSelect'][];
  };
}
