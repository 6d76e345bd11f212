import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../auth/authenticate.ts';
import type { PerTokenLimit } from '../auth/per-token-limit.ts';
import type { Actor } from '../domain/context.ts';

/**
 * preHandler of the GraphQL HTTP routes: the same bearer check as REST (src/auth), so an
 * unauthenticated request is a 401 with code UNAUTHENTICATED before anything is parsed, and the
 * same per-token budget. WebSocket upgrades authenticate in connection_init instead (ws-guard.ts).
 */
export function authenticateHttp(limit: PerTokenLimit) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if ((request as FastifyRequest & { ws?: boolean }).ws) return;
    await authenticate(request, reply);
    await limit.hook(request, reply);
  };
}

/** The bearer token of graphql-ws connection params: { authorization: "Bearer …" } (or headers.authorization). */
export function bearerToken(connectionParams: unknown): string | null {
  if (!connectionParams || typeof connectionParams !== 'object') return null;
  const params = connectionParams as { authorization?: unknown; Authorization?: unknown; headers?: { authorization?: unknown } };
  const header = params.authorization ?? params.Authorization ?? params.headers?.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * subscription onConnect: the same token and verifier as HTTP (app.verifyBearer), sent as connection
 * params { authorization: "Bearer …" } since browsers cannot set headers on a WebSocket.
 * Returning false refuses the connection.
 */
export function authenticateConnection(app: FastifyInstance) {
  return async ({ payload }: { payload: unknown }): Promise<{ actor: Actor } | false> => {
    const token = bearerToken(payload);
    if (!token) return false;
    try {
      return { actor: await app.verifyBearer(token) };
    } catch {
      return false;
    }
  };
}
