import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import { actorFromClaims } from './principal.ts';
import type { Actor } from '../domain/context.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

/** onRequest hook for every protected context: a verified bearer token with Tandem's claims. */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization;
  if (!header || !/^Bearer\s+\S+$/i.test(header)) {
    reply.header('www-authenticate', 'Bearer realm="tandem"');
    throw new DomainError('UNAUTHENTICATED', 'Send a bearer token: Authorization: Bearer <jwt>.');
  }
  let payload: unknown;
  try {
    payload = await request.jwtVerify();
  } catch {
    reply.header('www-authenticate', 'Bearer realm="tandem", error="invalid_token"');
    throw new DomainError('UNAUTHENTICATED', 'The bearer token is invalid or expired.');
  }
  const actor = actorFromClaims(payload);
  if (!actor) {
    reply.header('www-authenticate', 'Bearer realm="tandem", error="invalid_token"');
    throw new DomainError('UNAUTHENTICATED', 'The token must carry sub, org and roles (admin, manager, member, integration).');
  }
  request.actor = actor;
}
