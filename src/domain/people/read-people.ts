import { authorize } from '../permissions.ts';
import { and, eq, or } from 'drizzle-orm';
import type { z } from 'zod';
import { people, relationships } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { byId, listPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListPeopleQuery, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
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

export async function listPeople(ctx: Ctx, rawQuery: z.input<typeof ListPeopleQuery>): Promise<Page<Person>> {
  authorize(ctx.actor, 'listPeople');
  const query = parseInput(ListPeopleQuery, rawQuery);
  const where = and(eq(people.orgId, ctx.actor.org), query.externalId === undefined ? undefined : eq(people.externalId, query.externalId));
  return listPage(ctx.db.select().from(people).$dynamic(), { query, key: byId(people.id), where }, presentPerson);
}
