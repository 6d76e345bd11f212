import { and, eq } from 'drizzle-orm';
import { compiled, isAnyOf, param } from '../../db/compiled.ts';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';
import { distinctIds } from '../relationships/visibility.ts';

/** A person id a request body names, with the path of the field that names it. */
export interface PersonReference {
  path: string;
  id: string;
}

const known = compiled((db) => db.select({ id: people.id }).from(people).where(and(eq(people.orgId, param('org')), isAnyOf(people.id, 'ids'))));

/** Paths of `ids` under `path`: preferredMentorIds.0, preferredMentorIds.1, … */
export const referencesAt = (path: string, ids: readonly string[] | null | undefined): PersonReference[] => (ids ?? []).map((id, index) => ({ path: `${path}.${index}`, id }));

/**
 * Refuses ids that are not people of the caller's organisation, naming each field (at most 20). An
 * id of another organisation is answered exactly as an id that exists nowhere, so nothing leaks.
 * Run inside the use case's transaction, before the write that would store the ids.
 */
export async function requireOwnPeople(tx: Ctx, references: PersonReference[]): Promise<void> {
  if (references.length === 0) return;
  const found = new Set((await known(tx.db, { org: tx.actor.org, ids: distinctIds(references.map((r) => r.id)) })).map((row) => row.id));
  const unknown = references.filter((reference) => !found.has(reference.id.toLowerCase()));
  if (unknown.length === 0) return;
  throw invalid(
    'Some ids name no person of this organisation.',
    unknown.slice(0, 20).map((reference) => ({ path: reference.path, message: `no person ${reference.id} in this organisation` })),
  );
}
