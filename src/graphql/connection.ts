import { idCursor } from '../domain/pagination.ts';
import type { Page } from '../domain/schemas/common.ts';

/** A domain page as a Relay connection: the domain's cursors, `after` = the previous endCursor. */
export function toConnection<T extends { id: string }>(page: Page<T>) {
  const edges = page.items.map((node) => ({ cursor: idCursor.encode(node.id), node }));
  return {
    edges,
    nodes: page.items,
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** Connection arguments as the domain's page query. */
export const pageQuery = (args: { first?: number | null; after?: string | null }) => ({
  ...(args.first != null ? { limit: args.first } : {}),
  ...(args.after != null ? { cursor: args.after } : {}),
});
