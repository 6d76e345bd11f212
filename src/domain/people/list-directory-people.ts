import { and, asc, count, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { ListDirectoryPeopleInput, type DirectoryPeoplePage, type SortAttribute } from '../schemas/directory.ts';
import { parseInput } from '../validate.ts';
import { filterToSql } from './directory-filter.ts';
import { presentDirectoryPerson } from './present-directory-person.ts';

// RFC 7644 §3.4.2.3: caseless attributes (userName, name.familyName) sort without case, case-exact
// ones (externalId) with it, both in Unicode code-point order with no locale: COLLATE "C", so the
// order does not depend on the database's collation. People without a value come last ascending
// and first descending, which is PostgreSQL's default NULLS placement for each direction.
const SORT_KEYS: Record<SortAttribute, SQL> = {
  userName: sql`lower(${people.userName}) collate "C"`,
  externalId: sql`${people.externalId} collate "C"`,
  familyName: sql`lower(${people.directory} #>> '{name,familyName}') collate "C"`,
  created: sql`${people.createdAt}`,
  lastModified: sql`${people.updatedAt}`,
};

/**
 * Provisioned people matching a directory filter, in creation order (or by `sortBy`, ties in
 * creation order), by position: SCIM pages by
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
          .orderBy(...(input.sortBy ? [input.sortOrder === 'descending' ? sql`${SORT_KEYS[input.sortBy]} desc` : SORT_KEYS[input.sortBy]] : []), asc(people.id))
          .offset(input.startIndex - 1)
          .limit(input.count),
  ]);
  return {
    total: total!.n,
    startIndex: input.startIndex,
    people: rows.map((row) => presentDirectoryPerson(row as typeof row & { userName: string })),
  };
}
