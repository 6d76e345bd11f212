import type { MercuriusContext } from 'mercurius';
import type { Actor } from '../domain/context.ts';

declare module 'mercurius' {
  interface MercuriusContext {
    /** The verified caller: set by the HTTP preHandler or the WebSocket connection_init. */
    actor: Actor;
  }
}

/** What every resolver and loader receives. */
export type GraphQLContext = MercuriusContext;
