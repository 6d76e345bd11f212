import { and, eq, or, sql } from 'drizzle-orm';
import { compiled, compiledByShape, param } from '../db/compiled.ts';
import { people, relationships } from '../db/schema.ts';
import type { Party, Role } from '../vocabulary.ts';
import type { Actor, Ctx } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { isUuid } from './uuid.ts';

const ORG_WIDE_ROLES: readonly Role[] = ['admin', 'manager', 'integration'];

/** Admins, managers and integrations see the whole organisation; members only their own relationships. */
export const seesWholeOrganisation = (actor: Actor) => actor.roles.some((role) => ORG_WIDE_ROLES.includes(role));

/**
 * The person a member's token stands for: `sub` is their Tandem id or their HRIS externalId. A
 * de-provisioned person stands for no one: their token no longer acts on anything of theirs.
 */
export async function actorPersonId(ctx: Ctx): Promise<string | null> {
  const { sub, org } = ctx.actor;
  const [row] = await personOfSubject(ctx.db, isUuid(sub) ? 'id-or-external' : 'external', { org, sub });
  return row?.id ?? null;
}

const personOfSubject = compiledByShape((db, shape) => {
  const sub = param('sub');
  const match = shape === 'id-or-external' ? or(eq(people.id, sub), eq(people.externalId, sub)) : eq(people.externalId, sub);
  return db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.orgId, param('org')), match, eq(people.active, true)))
    .limit(2);
});

export type RelationshipRow = typeof relationships.$inferSelect;

export interface ScopedRelationship {
  row: RelationshipRow;
  /** The caller's side of the relationship, when the caller is its mentor or mentee. */
  party: Party | null;
}

/**
 * Loads a relationship of the caller's organisation, optionally locked FOR UPDATE.
 * A member who is not a party gets the same 404 as a foreign id: existence never leaks.
 */
const relationshipById = (db: Ctx['db']) =>
  db
    .select()
    .from(relationships)
    .where(and(eq(relationships.orgId, sql.placeholder('org')), eq(relationships.id, sql.placeholder('id'))));
const readRelationship = compiled(relationshipById);
const lockRelationship = compiled((db) => relationshipById(db).for('update'));

export async function loadRelationship(ctx: Ctx, id: string, options: { lock?: boolean } = {}): Promise<ScopedRelationship> {
  const values = { org: ctx.actor.org, id };
  const [row] = options.lock ? await lockRelationship(ctx.db, values) : await readRelationship(ctx.db, values);
  if (!row) throw notFound('relationship', id);
  const personId = seesWholeOrganisation(ctx.actor) && !ctx.actor.roles.includes('member') ? null : await actorPersonId(ctx);
  const party: Party | null = personId === row.mentorId ? 'mentor' : personId === row.menteeId ? 'mentee' : null;
  if (!seesWholeOrganisation(ctx.actor) && !party) throw notFound('relationship', id);
  return { row, party };
}

/** The party a change is made for: a member acts as themselves; organisation roles must say which. */
export function actingParty(actor: Actor, scoped: ScopedRelationship, requested: Party | undefined, what: string): Party {
  if (!seesWholeOrganisation(actor)) {
    if (requested && requested !== scoped.party) throw forbidden(`You are the ${scoped.party} here and may only ${what} as the ${scoped.party}.`);
    return scoped.party as Party;
  }
  if (requested) return requested;
  if (scoped.party) return scoped.party;
  throw forbidden(`Say which party you ${what} for: party "mentor" or "mentee".`);
}
