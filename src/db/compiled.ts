import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';
import { isoRowMapper, type WithIsoTimestamps } from './iso-rows.ts';

/** What drizzle's select, insert and update builders give from `.prepare()`. */
interface Buildable<R> {
  prepare(name?: string): { execute(values?: Record<string, unknown>): Promise<R> };
}

// drizzle's prepared-query internals, the same for the postgres-js and PGlite sessions of 0.45:
// drizzle-orm is pinned to an exact version in package.json, and checkDrizzleInternals() below
// refuses, loudly, any other shape (test/db/drizzle-internals.test.ts).
interface PreparedInternals<R> {
  queryString: string;
  params: unknown[];
  fields?: unknown;
  _isResponseInArrayMode: boolean;
  customResultMapper?: unknown;
  joinsNotNullableMap?: unknown;
  execute(values?: Record<string, unknown>): Promise<R>;
}
interface SessionInternals {
  prepareQuery<R>(query: { sql: string; params: unknown[] }, fields: unknown, name: undefined, arrayMode: boolean, mapper: unknown): PreparedInternals<R>;
}

/**
 * Throws, with what changed, unless a prepared query and the session that made it have the shape
 * compiled() relies on: the prepared query's `queryString`, `params`, `fields`,
 * `_isResponseInArrayMode`, `customResultMapper` and `execute`, and
 * `session.prepareQuery(query, fields, name, arrayMode, mapper)`. Run on every statement's first use,
 * so a drizzle-orm upgrade that moves them fails at once instead of running the wrong statement.
 */
export function checkDrizzleInternals(prepared: unknown, session: unknown): void {
  const query = (prepared ?? {}) as Record<string, unknown>;
  const problems = [
    typeof query.queryString === 'string' ? null : 'a prepared query has no queryString',
    Array.isArray(query.params) ? null : 'a prepared query has no params array',
    typeof query._isResponseInArrayMode === 'boolean' ? null : 'a prepared query has no _isResponseInArrayMode',
    'fields' in query ? null : 'a prepared query has no fields',
    'customResultMapper' in query ? null : 'a prepared query has no customResultMapper',
    typeof query.execute === 'function' ? null : 'a prepared query has no execute()',
  ];
  const prepareQuery = (session as { prepareQuery?: unknown } | undefined)?.prepareQuery;
  if (typeof prepareQuery !== 'function') problems.push('the session has no prepareQuery()');
  else if (prepareQuery.length < 5) problems.push(`session.prepareQuery takes ${prepareQuery.length} arguments, not (query, fields, name, arrayMode, mapper, …)`);
  const found = problems.filter((problem): problem is string => problem !== null);
  if (found.length > 0) {
    throw new Error(
      `src/db/compiled.ts was written for drizzle-orm 0.45's internals, which this drizzle-orm does not have: ${found.join('; ')}. ` +
        'Adapt compiled.ts to the new version (and re-run test/db/compiled.test.ts) before upgrading.',
    );
  }
}

/**
 * A statement whose SQL drizzle builds once, with `sql.placeholder`s for its values, and that then
 * runs on any handle: the database or a transaction. Built the usual way, drizzle makes the text
 * again on every call, about 70 µs of CPU for a one-row select and most of a transition's CPU
 * (bench/FINDINGS.md §3). Only the hot statements need this; the rest stay plain drizzle.
 */
export function compiled<R, V extends Record<string, unknown> = Record<string, unknown>>(
  build: (db: Database) => Buildable<R>,
): (db: Database, values: V) => Promise<R> {
  return compile<R, V>(build);
}

/**
 * A compiled select of columns whose rows come back with their timestamps as ISO text, for rows
 * that go straight to a presenter: mapped by one function made for the select (iso-rows.ts), with
 * no `Date` between PostgreSQL's text and the answer.
 */
export function compiledIsoRows<R extends unknown[], V extends Record<string, unknown> = Record<string, unknown>>(
  build: (db: Database) => Buildable<R>,
): (db: Database, values: V) => Promise<WithIsoTimestamps<R[number]>[]> {
  return compile<WithIsoTimestamps<R[number]>[], V>(build as never, (fields) => isoRowMapper(fields as never));
}

function compile<R, V extends Record<string, unknown>>(build: (db: Database) => Buildable<R>, rowMapper?: (fields: unknown) => unknown): (db: Database, values: V) => Promise<R> {
  let template: Omit<PreparedInternals<R>, 'execute'> | undefined;
  return (db, values) => {
    if (!template) {
      const first = build(db).prepare() as unknown as PreparedInternals<R>;
      checkDrizzleInternals(first, (db as unknown as { session?: unknown }).session);
      if (rowMapper) first.customResultMapper = rowMapper(first.fields);
      const { queryString, params, fields, _isResponseInArrayMode, customResultMapper, joinsNotNullableMap } = first;
      template = { queryString, params, fields, _isResponseInArrayMode, customResultMapper, joinsNotNullableMap };
      return first.execute(values);
    }
    const session = (db as unknown as { session: SessionInternals }).session;
    const query = session.prepareQuery<R>({ sql: template.queryString, params: template.params }, template.fields, undefined, template._isResponseInArrayMode, template.customResultMapper);
    if (template.joinsNotNullableMap) query.joinsNotNullableMap = template.joinsNotNullableMap;
    return query.execute(values);
  };
}

/** Statements made once per shape (which optional filters are present, how long an id list is). */
function byShape<S>(make: (shape: string) => S): (shape: string) => S {
  const shapes = new Map<string, S>();
  return (shape) => {
    let statement = shapes.get(shape);
    if (!statement) shapes.set(shape, (statement = make(shape)));
    return statement;
  };
}

/** Compiled statements by shape (which optional filters are present, how long an id list is), each built once. */
export function compiledByShape<R, V extends Record<string, unknown> = Record<string, unknown>>(
  build: (db: Database, shape: string) => Buildable<R>,
): (db: Database, shape: string, values: V) => Promise<R> {
  const statementOf = byShape((shape) => compiled<R, V>((handle) => build(handle, shape)));
  return (db, shape, values) => statementOf(shape)(db, values);
}

/** compiledIsoRows by shape. */
export function compiledIsoRowsByShape<R extends unknown[], V extends Record<string, unknown> = Record<string, unknown>>(
  build: (db: Database, shape: string) => Buildable<R>,
): (db: Database, shape: string, values: V) => Promise<WithIsoTimestamps<R[number]>[]> {
  const statementOf = byShape((shape) => compiledIsoRows<R, V>((handle) => build(handle, shape)));
  return (db, shape, values) => statementOf(shape)(db, values);
}

/** A named value of a compiled statement, typed as the column it stands for (drizzle's builders want the value's type). */
export const param = <T = string>(name: string): T => sql.placeholder(name) as unknown as T;

/**
 * `column = any($name::uuid[])`: one statement text for an id list of any length (`IN (…)` has one
 * text per length), so a statement that takes a list compiles once. The value is a string array.
 */
export const isAnyOf = (column: PgColumn, name: string): SQL => sql`${column} = any(${sql.placeholder(name)}::uuid[])`;
