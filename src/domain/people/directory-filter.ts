import { and, not, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { people } from '../../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { FilterAttribute, PersonFilter } from '../schemas/directory.ts';

/** A filter the caller wrote wrongly (an unknown attribute, a text operator on a date…): SCIM's invalidFilter. */
export const invalidFilter = (message: string) => new DomainError('BAD_USER_INPUT', message, { errors: [{ path: 'filter', message }], reason: 'INVALID_FILTER' });

type Kind = 'text' | 'caseless' | 'id' | 'boolean' | 'time';

// userName, emails and the display name compare without regard to case (RFC 7643 caseExact
// false); externalId and id compare exactly.
// The display name is the directory's own, as the identity provider sent it (Tandem's name for the
// person may come from the name's parts instead).
const ATTRIBUTES: Record<FilterAttribute, { column: PgColumn | SQL; kind: Kind }> = {
  id: { column: people.id, kind: 'id' },
  userName: { column: people.userName, kind: 'caseless' },
  externalId: { column: people.externalId, kind: 'text' },
  displayName: { column: sql`(${people.directory} ->> 'displayName')`, kind: 'caseless' },
  email: { column: people.email, kind: 'caseless' },
  active: { column: people.active, kind: 'boolean' },
  created: { column: people.createdAt, kind: 'time' },
  lastModified: { column: people.updatedAt, kind: 'time' },
};

const ORDERINGS = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

const likePattern = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A directory filter as SQL over the people table; the caller adds the organisation. */
export function filterToSql(filter: PersonFilter): SQL {
  switch (filter.op) {
    case 'and':
      return and(...filter.filters.map(filterToSql))!;
    case 'or':
      return or(...filter.filters.map(filterToSql))!;
    case 'not':
      // NOT of an unknown (a missing attribute) stays unknown in SQL; SCIM means "does not match".
      return not(sql`coalesce(${filterToSql(filter.filter)}, false)`);
    case 'pr':
      return ATTRIBUTES[filter.attribute].kind === 'boolean' ? sql`true` : sql`${ATTRIBUTES[filter.attribute].column} is not null`;
    default:
      return comparison(filter.op, filter.attribute, filter.value);
  }
}

function comparison(op: Exclude<PersonFilter['op'], 'and' | 'or' | 'not' | 'pr'>, attribute: FilterAttribute, value: string | boolean): SQL {
  const { column, kind } = ATTRIBUTES[attribute];
  if (kind === 'boolean') {
    if (typeof value !== 'boolean' || (op !== 'eq' && op !== 'ne')) throw invalidFilter(`${attribute} takes eq or ne with true or false.`);
    return op === 'eq' ? sql`${column} = ${value}` : sql`${column} <> ${value}`;
  }
  if (typeof value !== 'string') throw invalidFilter(`${attribute} compares with a string.`);
  if (kind === 'time') {
    const at = new Date(value);
    if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw invalidFilter(`${attribute} compares with a date-time such as 2026-11-30T12:00:00Z.`);
    const operator = ORDERINGS[op as keyof typeof ORDERINGS];
    if (!operator) throw invalidFilter(`${attribute} takes eq, ne, gt, ge, lt or le.`);
    return sql`${column} ${sql.raw(operator)} ${at.toISOString()}::timestamptz`;
  }
  if (op === 'gt' || op === 'ge' || op === 'lt' || op === 'le') throw invalidFilter(`${attribute} takes eq, ne, co, sw, ew or pr.`);
  const target = kind === 'id' ? sql`${column}::text` : kind === 'caseless' ? sql`lower(${column})` : sql`${column}`;
  const text = kind === 'caseless' || kind === 'id' ? value.toLowerCase() : value;
  switch (op) {
    case 'eq':
      return sql`${target} = ${text}`;
    case 'ne':
      return sql`${target} <> ${text}`;
    case 'co':
      return sql`${target} like ${`%${likePattern(text)}%`}`;
    case 'sw':
      return sql`${target} like ${`${likePattern(text)}%`}`;
    case 'ew':
      return sql`${target} like ${`%${likePattern(text)}`}`;
  }
}
