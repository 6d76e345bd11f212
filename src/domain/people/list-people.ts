import { authorize } from '../permissions.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import type { Page } from '../schemas/common.ts';
import { ListPeopleQuery, type Person } from '../schemas/person.ts';
import { parseInput } from '../validate.ts';
import { presentPerson } from './present-person.ts';

export async function listPeople(ctx: Ctx, rawQuery: z.input<typeof ListPeopleQuery>): Promise<Page<Person>> {
  authorize(ctx.actor, 'listPeople');
  const query = parseInput(ListPeopleQuery, rawQuery);
  const where = and(eq(people.orgId, ctx.actor.org), query.externalId === undefined ? undefined : eq(people.externalId, query.externalId));
  return listPage(ctx.db.select().from(people).$dynamic(), { query, key: byId(people.id), where }, presentPerson);
}
