import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

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
  let template: Omit<PreparedInternals<R>, 'execute'> | undefined;
  return (db, values) => {
    if (!template) {
      const first = build(db).prepare() as unknown as PreparedInternals<R>;
      checkDrizzleInternals(first, (db as unknown as { session?: unknown }).session);
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

/** Compiled statements by shape (which optional filters are present, how long an id list is), each built once. */
export function compiledByShape<R, V extends Record<string, unknown> = Record<string, unknown>>(
  build: (db: Database, shape: string) => Buildable<R>,
): (db: Database, shape: string, values: V) => Promise<R> {
  const shapes = new Map<string, (db: Database, values: V) => Promise<R>>();
  return (db, shape, values) => {
    let statement = shapes.get(shape);
    if (!statement) shapes.set(shape, (statement = compiled<R, V>((handle) => build(handle, shape))));
    return statement(db, values);
  };
}

/** A named value of a compiled statement, typed as the column it stands for (drizzle's builders want the value's type). */
export const param = <T = string>(name: string): T => sql.placeholder(name) as unknown as T;

/**
 * `column = any($name::uuid[])`: one statement text for an id list of any length (`IN (…)` has one
 * text per length), so a statement that takes a list compiles once. The value is a string array.
 */
export const isAnyOf = (column: PgColumn, name: string): SQL => sql`${column} = any(${sql.placeholder(name)}::uuid[])`;
