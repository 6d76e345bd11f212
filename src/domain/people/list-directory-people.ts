import { and, asc, count, eq, isNotNull } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { ListDirectoryPeopleInput, type DirectoryPeoplePage } from '../schemas/directory.ts';
import { parseInput } from '../validate.ts';
import { filterToSql } from './directory-filter.ts';
import { presentDirectoryPerson } from './present-directory-person.ts';

/**
 * Provisioned people matching a directory filter, in creation order, by position: SCIM pages by
 * `startIndex` and `count` and reports the total (RFC 7644 §3.4.2.4), which cursor paging
 * (pagination.ts) cannot give; identity providers page through small result sets this way.
 */
export async function listDirectoryPeople(ctx: Ctx, rawInput: ListDirectoryPeopleInput): Promise<DirectoryPeoplePage> {
  authorize(ctx.actor, 'listDirectoryPeople');
  const input = parseInput(ListDirectoryPeopleInput, rawInput);
  const where = and(eq(people.orgId, ctx.actor.org), isNotNull(people.userName), input.filter ? filterToSql(input.filter) : undefined);
  const [[total], rows] = await Promise.all([
    ctx.db.select({ n: count() }).from(people).where(where),
    input.count === 0
      ? Promise.resolve([])
      : ctx.db
          .select()
          .from(people)
          .where(where)
          .orderBy(asc(people.id))
          .offset(input.startIndex - 1)
          .limit(input.count),
  ]);
  return {
    total: total!.n,
    startIndex: input.startIndex,
    people: rows.map((row) => presentDirectoryPerson(row as typeof row & { userName: string })),
  };
}
