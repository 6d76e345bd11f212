import { authorize } from '../permissions.ts';
import { and, eq, or } from 'drizzle-orm';
import { people, relationships } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import type { Person } from '../schemas/person.ts';
import { presentPerson } from './present-person.ts';

/** Organisation roles read anyone; a member reads themselves and the people they are paired with. */
export async function getPerson(ctx: Ctx, input: { id: string }): Promise<Person> {
  authorize(ctx.actor, 'getPerson');
  const [row] = await ctx.db
    .select()
    .from(people)
    .where(and(eq(people.orgId, ctx.actor.org), eq(people.id, input.id)));
  if (!row) throw notFound('person', input.id);
  if (!seesWholeOrganisation(ctx.actor) && !(await isSelfOrCounterpart(ctx, row.id))) throw notFound('person', input.id);
  return presentPerson(row);
}

async function isSelfOrCounterpart(ctx: Ctx, personId: string): Promise<boolean> {
  const self = await actorPersonId(ctx);
  if (!self) return false;
  if (self === personId) return true;
  const [pair] = await ctx.db
    .select({ id: relationships.id })
    .from(relationships)
    .where(
      and(
        eq(relationships.orgId, ctx.actor.org),
        or(
          and(eq(relationships.mentorId, self), eq(relationships.menteeId, personId)),
          and(eq(relationships.menteeId, self), eq(relationships.mentorId, personId)),
        ),
      ),
    )
    .limit(1);
  return Boolean(pair);
}
