import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import type { TokenVerifier } from './verify-token.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
  interface FastifyInstance {
    /** Verifies a bearer token into the caller (REST, GraphQL over HTTP and WebSocket). */
    verifyBearer: TokenVerifier;
  }
}

/** onRequest hook for every protected context: a verified bearer token with Tandem's claims. */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // What an authenticated route answers is the caller's own: never stored by a shared cache.
  reply.header('cache-control', 'no-store');
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) {
    reply.header('www-authenticate', 'Bearer realm="tandem"');
    throw new DomainError('UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <jwt>.');
  }
  try {
    request.actor = await request.server.verifyBearer(match[1]!);
  } catch (error) {
    reply.header('www-authenticate', 'Bearer realm="tandem", error="invalid_token"');
    throw error;
  }
}
