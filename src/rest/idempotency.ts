import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import type { Services } from '../domain/services.ts';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

/**
 * Idempotency-Key on POST (IETF httpapi draft): the first response is stored in the database,
 * so a retry on any instance gets it back; the same key with another body is refused.
 */
export function useIdempotencyKeys(app: FastifyInstance, services: Services) {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return;
    if (key.length === 0 || key.length > 255) {
      throw new DomainError('BAD_USER_INPUT', 'Idempotency-Key must be 1–255 characters.', { errors: [{ path: 'headers.idempotency-key', message: 'must be 1–255 characters' }] });
    }
    const requestHash = createHash('sha256').update(JSON.stringify(request.body ?? null)).digest('base64url');
    const claim = await services.claimIdempotencyKey(request.actor, { key, method: request.method, path: request.url, requestHash });
    if (claim.kind === 'mismatch') throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request.');
    if (claim.kind === 'in_progress') throw new DomainError('IDEMPOTENCY_KEY_IN_USE', 'The first request with this Idempotency-Key is still running; retry shortly.');
    if (claim.kind === 'replay') {
      reply.code(claim.response.status).headers({ ...claim.response.headers, 'idempotency-replayed': 'true' });
      return reply.send(claim.response.body);
    }
    request.idempotencyKey = key;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.idempotencyKey;
    if (!key) return payload;
    request.idempotencyKey = undefined;
    if (reply.statusCode >= 500) {
      await services.releaseIdempotencyKey(request.actor, { key });
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await services.completeIdempotencyKey(request.actor, { key, response: { status: reply.statusCode, headers, body: typeof payload === 'string' ? payload : '' } });
    return payload;
  });
}
