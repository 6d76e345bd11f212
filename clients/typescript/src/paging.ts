import { unwrap } from './errors.ts';

type Page<T> = { items: T[]; nextCursor?: string | null };

/**
 * Every item of a cursor-paged list, fetching pages as the loop asks for them:
 *   for await (const person of paginate((cursor) => tandem.GET('/v1/people', { params: { query: { cursor, limit: 100 } } }))) { … }
 * A refused page throws its TandemProblem.
 */
export async function* paginate<T>(page: (cursor: string | undefined) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const { items, nextCursor } = await unwrap(page(cursor));
    yield* items;
    cursor = nextCursor ?? undefined;
  } while (cursor);
}
