import { and, asc, gt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgSelect } from 'drizzle-orm/pg-core';
import { invalid } from './errors.ts';
import type { Page, PageQuery } from './schemas/common.ts';
import { isUuid } from './uuid.ts';

// Every list pages the same way: by a key column in ascending order, after the key its cursor
// names, one row more than the limit to learn whether another page follows. Keys only grow as rows
// are inserted (UUIDv7 ids, sequence numbers), so paging stays stable while rows come in.

/** How a list's cursor names its place: the key of the last row, versioned and base64url-encoded, opaque to clients. */
export interface CursorCodec<K> {
  encode(key: K): string;
  /** The key a cursor names; a cursor this codec did not issue is the caller's BAD_USER_INPUT. */
  decode(cursor: string): K;
}

/** A codec for keys written as text after `version` (bump the version when the key of a list changes). */
export function cursorCodec<K>(version: string, key: { format(key: K): string; parse(text: string): K | undefined }): CursorCodec<K> {
  return {
    encode: (value) => Buffer.from(version + key.format(value)).toString('base64url'),
    decode(cursor) {
      const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
      const value = decoded.startsWith(version) ? key.parse(decoded.slice(version.length)) : undefined;
      if (value === undefined) throw invalid('The cursor is not one this API issued.', [{ path: 'query.cursor', message: 'is not a valid cursor' }]);
      return value;
    },
  };
}

/** Cursors of lists paged by id. */
export const idCursor = cursorCodec<string>('c1:', { format: (id) => id, parse: (text) => (isUuid(text) ? text : undefined) });

/** Cursors of lists paged by a sequence number (a bigserial: insertion order). */
export const seqCursor = cursorCodec<number>('s1:', { format: String, parse: (text) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined) });

/** A key read from a cursor of a list whose key changed: the current key, or the one earlier cursors named. */
export type EvolvedKey<K, L> = { key: K } | { earlier: L };

/** Issues `current`'s cursors and still reads the cursors `earlier` issued, so clients holding one keep their place. */
export function evolvedCodec<K, L>(current: CursorCodec<K>, earlier: CursorCodec<L>): CursorCodec<EvolvedKey<K, L>> {
  return {
    encode: (value) => ('key' in value ? current.encode(value.key) : earlier.encode(value.earlier)),
    decode(cursor) {
      try {
        return { key: current.decode(cursor) };
      } catch {
        return { earlier: earlier.decode(cursor) };
      }
    },
  };
}

/** What a list pages by: a column, its cursor codec, and a row's value of it. */
export interface PageKey<R, K> {
  column: PgColumn;
  codec: CursorCodec<K>;
  of(row: R): K;
}

/** Paging by a table's id column (UUIDv7: creation order). */
export const byId = <R extends { id: string }>(column: PgColumn): PageKey<R, string> => ({ column, codec: idCursor, of: (row) => row.id });

export interface PageRead<R, K> {
  query: PageQuery;
  key: PageKey<NoInfer<R>, K>;
  /** Up to `take` rows whose key is greater than `after` (from the first when undefined), in key order. */
  rows(after: K | undefined, take: number): Promise<R[]>;
}

export interface PageOfRows<R> {
  rows: R[];
  nextCursor: string | null;
  /** The cursor after the last row of this page, or the given cursor when the page is empty: where a poller resumes. */
  endCursor: string | null;
}

/** The one body of every list: the rows after the cursor, limit + 1 of them to tell whether there is a next page. */
export async function readPage<R, K>({ query, key, rows }: PageRead<R, K>): Promise<PageOfRows<R>> {
  const after = query.cursor === undefined ? undefined : key.codec.decode(query.cursor);
  const read = await rows(after, query.limit + 1);
  const page = read.slice(0, query.limit);
  const last = page.at(-1);
  const lastCursor = last === undefined ? null : key.codec.encode(key.of(last));
  return { rows: page, nextCursor: read.length > query.limit ? lastCursor : null, endCursor: lastCursor ?? query.cursor ?? null };
}

type RowOf<Q extends PgSelect> = Awaited<Q>[number];

/**
 * A drizzle select (`db.select().from(table).$dynamic()`) as the rows of a page: its own filter,
 * then after the cursor's key, in key order.
 */
export const selectAfter =
  <Q extends PgSelect, K>(select: Q, key: PageKey<RowOf<Q>, K>, where: SQL | undefined) =>
  (after: K | undefined, take: number): Promise<RowOf<Q>[]> =>
    select
      .where(and(where, after === undefined ? undefined : gt(key.column, after)))
      .orderBy(asc(key.column))
      .limit(take);

/** A page of a drizzle select, each row presented: the whole body of a plain list. */
export async function listPage<Q extends PgSelect, K, T>(
  select: Q,
  list: { query: PageQuery; key: PageKey<RowOf<Q>, K>; where: SQL | undefined },
  present: (row: RowOf<Q>) => T,
): Promise<Page<T>> {
  const { rows, nextCursor } = await readPage({ query: list.query, key: list.key, rows: selectAfter(select, list.key, list.where) });
  return { items: rows.map(present), nextCursor };
}
