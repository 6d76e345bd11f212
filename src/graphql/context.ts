import type { MercuriusContext } from 'mercurius';
import type { Actor } from '../domain/context.ts';
import type { RequestMemo } from './request-memo.ts';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The verified caller: set by the HTTP preHandler or the WebSocket connection_init. */
    actor: Actor;
    /**
     * What the batch loads of this execution share (read once, used by every field): set for
     * read-only operations only (see request-memo.ts), absent for mutations and subscriptions.
     */
    memo?: RequestMemo;
  }
}

/** What every resolver and loader receives. */
export type GraphQLContext = MercuriusContext;
