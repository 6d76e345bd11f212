import { Kind, type DocumentNode } from 'graphql';
import type { Goal } from '../domain/schemas/goal.ts';
import type { Programme } from '../domain/schemas/programme.ts';
import type { GraphQLContext } from './context.ts';

/**
 * What the field loads of one read-only request share, so that a screen reads each thing once
 * however many of its fields need it: programmes by id (the programme field and nextStages), goals
 * by relationship (the goals field and nextStages). Each entry is the promise of the batch that
 * read it, so loads running side by side share a read still in flight. It holds what the domain
 * returned to this request's caller, and lives as long as the request.
 */
export interface RequestMemo {
  readonly programmes: Map<string, Promise<Map<string, Programme>>>;
  readonly goals: Map<string, Promise<Map<string, Goal[]>>>;
}

export const createRequestMemo = (): RequestMemo => ({ programmes: new Map(), goals: new Map() });

/**
 * Reads `keys` through a memo's cache: keys asked for before reuse that batch (done or in flight),
 * the rest are read in one new batch. Without a cache, reads them all. The map may hold more than
 * `keys`: look up only your own.
 */
export async function readThrough<V>(
  cache: Map<string, Promise<Map<string, V>>> | undefined,
  keys: string[],
  read: (keys: string[]) => Promise<Map<string, V>>,
): Promise<Map<string, V>> {
  const wanted = [...new Set(keys)];
  if (wanted.length === 0) return new Map();
  if (!cache) return read(wanted);
  const missing = wanted.filter((key) => !cache.has(key));
  if (missing.length > 0) {
    const batch = read(missing);
    for (const key of missing) cache.set(key, batch);
  }
  const batches = [...new Set(wanted.map((key) => cache.get(key)!))];
  if (batches.length === 1) return batches[0]!;
  const merged = new Map<string, V>();
  for (const found of await Promise.all(batches)) for (const [key, value] of found) merged.set(key, value);
  return merged;
}

/** True when no operation of the document changes anything or streams (only queries). */
function readsOnly(document: DocumentNode): boolean {
  return document.definitions.every((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === 'query');
}

/**
 * preExecution hook: gives a read-only execution its own RequestMemo. Mutations get none: a value
 * read before a change would be served stale after it. Subscriptions do not pass through here and
 * get none either; their context lives as long as the subscription.
 */
export async function attachRequestMemo(_schema: unknown, document: DocumentNode, context: GraphQLContext): Promise<void> {
  context.memo = context.actor && readsOnly(document) ? createRequestMemo() : undefined;
}
