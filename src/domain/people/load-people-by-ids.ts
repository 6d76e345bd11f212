import { and, eq, or } from 'drizzle-orm';
import { compiled, isAnyOf, param } from '../../db/compiled.ts';
import { people, relationships } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { distinctIds } from '../relationships/visibility.ts';
import type { Person } from '../schemas/person.ts';
import { presentPerson } from './present-person.ts';

const peopleIn = compiled((db) => db.select().from(people).where(and(eq(people.orgId, param('org')), isAnyOf(people.id, 'ids'))));
const pairsOf = compiled((db) => {
  const self = param('self');
  return db
    .select({ mentorId: relationships.mentorId, menteeId: relationships.menteeId })
    .from(relationships)
    .where(and(eq(relationships.orgId, param('org')), or(eq(relationships.mentorId, self), eq(relationships.menteeId, self))));
});

/**
 * People by id, many at once, with the single read's rule (GraphQL's loaders): organisation roles
 * read anyone; a member reads themselves and the people they are paired with.
 */
export async function loadPeopleByIds(ctx: Ctx, input: { ids: string[] }): Promise<Person[]> {
  authorize(ctx.actor, 'getPerson');
  let wanted = distinctIds(input.ids);
  if (!seesWholeOrganisation(ctx.actor)) {
    const self = await actorPersonId(ctx);
    if (!self) return [];
    const pairs = await pairsOf(ctx.db, { org: ctx.actor.org, self });
    const allowed = new Set([self, ...pairs.flatMap((pair) => [pair.mentorId, pair.menteeId])]);
    wanted = wanted.filter((id) => allowed.has(id));
  }
  if (wanted.length === 0) return [];
  return (await peopleIn(ctx.db, { org: ctx.actor.org, ids: wanted })).map(presentPerson);
}
