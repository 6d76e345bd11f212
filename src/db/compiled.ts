import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from './client.ts';

/** What drizzle's select, insert and update builders give from `.prepare()`. */
interface Buildable<R> {
  prepare(name?: string): { execute(values?: Record<string, unknown>): Promise<R> };
}

// drizzle's prepared-query internals, the same for the postgres-js and PGlite sessions (0.45).
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
