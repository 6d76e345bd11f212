import { createHash } from 'node:crypto';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import type { Config } from '../config.ts';
import { DomainError } from '../domain/errors.ts';

const tooMany = (_request: FastifyRequest, context: { after: string; max: number }) =>
  new DomainError('RATE_LIMITED', `More than ${context.max} requests a minute; retry in ${context.after}.`);

/** Security headers, the CORS allow-list, and the per-IP rate limit, for every route. */
export async function registerProtection(app: FastifyInstance, config: Config): Promise<void> {
  // helmet itself, built once: @fastify/helmet builds it again (CSP parsing included) on every request.
  const secureHeaders = helmet({
    // The API answers JSON; the HTML of /docs and /graphiql loads only from this origin.
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'] } },
    crossOriginResourcePolicy: { policy: config.corsOrigins.length ? 'cross-origin' : 'same-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => secureHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'idempotency-replayed'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id'],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  // Not per route: as a root hook it runs before any authentication, so anonymous floods stop too.
  await app.register(fastifyRateLimit, { global: false, max: config.rateLimit.perIp, timeWindow: 60_000, errorResponseBuilder: tooMany });
  app.addHook('onRequest', app.rateLimit());
}

/**
 * The per-token limit: runs after authentication, keyed by the token's organisation and subject.
 * Built on createRateLimit because the plugin's own handler runs once per request, and the
 * per-IP limit has already run.
 */
export function perTokenRateLimit(app: FastifyInstance, config: Config) {
  const check = app.createRateLimit({
    max: config.rateLimit.perToken,
    timeWindow: 60_000,
    keyGenerator: (request) => `token:${createHash('sha256').update(`${request.actor.org}\u0000${request.actor.clientId ?? request.actor.sub}`).digest('base64url')}`,
  });
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const limit = await check(request);
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining).header('x-ratelimit-reset', limit.ttlInSeconds);
    if (limit.isExceeded) {
      reply.header('retry-after', limit.ttlInSeconds);
      throw tooMany(request, { after: `${limit.ttlInSeconds} seconds`, max: limit.max });
    }
  };
}
