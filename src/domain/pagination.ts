import { gt, type SQL, type Column } from 'drizzle-orm';
import { invalid } from './errors.ts';
import type { Page } from './schemas/common.ts';
import { isUuid } from './uuid.ts';

// Cursors are opaque to clients: the last id of the page, versioned and base64url-encoded.
// Ids are UUIDv7 (time-ordered), so paging by id is stable while rows are inserted.
const PREFIX = 'c1:';

export const encodeCursor = (id: string) => Buffer.from(PREFIX + id).toString('base64url');

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = decoded.startsWith(PREFIX) ? decoded.slice(PREFIX.length) : '';
  if (!isUuid(id)) throw invalid('The cursor is not one this API issued.', [{ path: 'query.cursor', message: 'is not a valid cursor' }]);
  return id;
}

/** The condition that starts a page after the cursor, or undefined for the first page. */
export const afterCursor = (idColumn: Column, cursor: string | undefined): SQL | undefined =>
  cursor === undefined ? undefined : gt(idColumn, decodeCursor(cursor));

/** Rows were fetched with limit + 1: the extra row only says there is a next page. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, present: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(present), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
