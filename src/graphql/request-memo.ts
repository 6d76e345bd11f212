import { Kind, type DocumentNode } from 'graphql';
import { createLoadMemo } from '../domain/loaders.ts';
import type { GraphQLContext } from './context.ts';

/** True when no operation of the document changes anything or streams (only queries). */
function readsOnly(document: DocumentNode): boolean {
  return document.definitions.every((definition) => definition.kind !== Kind.OPERATION_DEFINITION || definition.operation === 'query');
}

/**
 * preExecution hook: gives a read-only execution its own LoadMemo, so the batch loads of its fields
 * read the relationships, goals and programmes once between them (domain/loaders.ts). Mutations get
 * none: a value read before a change would be served stale after it. Subscriptions do not pass
 * through here and get none either; their context lives as long as the subscription.
 */
export async function attachLoadMemo(_schema: unknown, document: DocumentNode, context: GraphQLContext): Promise<void> {
  context.memo = context.actor && readsOnly(document) ? createLoadMemo(context.actor) : undefined;
}
