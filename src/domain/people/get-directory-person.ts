import { and, eq, isNotNull } from 'drizzle-orm';
import { compiled, param } from '../../db/compiled.ts';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import type { DirectoryPerson } from '../schemas/directory.ts';
import { isUuid } from '../uuid.ts';
import { isProvisioned, presentDirectoryPerson } from './present-directory-person.ts';

const provisionedById = compiled((db) =>
  db
    .select()
    .from(people)
    .where(and(eq(people.orgId, param('org')), eq(people.id, param('id')), isNotNull(people.userName))),
);

/** A provisioned person; people the directory never provisioned (or has deleted) are not found. */
export async function getDirectoryPerson(ctx: Ctx, input: { id: string }): Promise<DirectoryPerson> {
  authorize(ctx.actor, 'getDirectoryPerson');
  if (!isUuid(input.id)) throw notFound('user', input.id);
  const [row] = await provisionedById(ctx.db, { org: ctx.actor.org, id: input.id });
  if (!isProvisioned(row)) throw notFound('user', input.id);
  return presentDirectoryPerson(row);
}
