import type { IncomingMessage } from 'node:http';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { v7 as uuidv7 } from 'uuid';
import { tooMany } from '../auth/per-token-limit.ts';
import type { Config } from '../config.ts';

/** Probes an orchestrator calls: never rate limited, so a flood never takes the instance out. */
export const PROBE_PATHS: ReadonlySet<string> = new Set(['/health', '/ready', '/metrics']);

/** An incoming X-Request-Id is kept only when it is this safe to log, echo and search for. */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** fastify's genReqId: the client's X-Request-Id when it is safe, else a new UUIDv7. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : uuidv7();
}

/** helmet's settings for Tandem's answers. */
export function helmetOptions(config: Pick<Config, 'corsOrigins'>): HelmetOptions {
  return {
    // The API answers JSON; the HTML of /docs loads only from this origin, no inline script (the
    // browser test proves Swagger UI works so). /graphiql sets its own, stricter policy (graphql/graphiql.ts).
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'font-src': ["'self'", 'data:'], 'img-src': ["'self'", 'data:'] },
    },
    crossOriginResourcePolicy: { policy: config.corsOrigins.length ? 'cross-origin' : 'same-origin' },
  };
}

/**
 * The headers every answer carries, framework errors included: helmet's security headers and the
 * request id. Built once (@fastify/helmet would build helmet, CSP parsing included, per request);
 * set on the raw response, which fastify merges into whatever it sends.
 */
export function edgeHeadersFor(config: Config) {
  const secureHeaders = helmet(helmetOptions(config));
  // helmet's directives here do not depend on the request, yet helmet rebuilds its headers (CSP
  // included) on every call: they are recorded once from a stand-in response and replayed.
  const recorded: [name: string, value: string | number | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => recorded.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  };
  secureHeaders({ headers: {} } as never, recorder as never, () => {});
  return (request: FastifyRequest, reply: FastifyReply): void => {
    const raw = reply.raw;
    for (const name of removed) raw.removeHeader(name);
    for (const [name, value] of recorded) raw.setHeader(name, value);
    reply.header('x-request-id', request.id);
  };
}

/** The CORS allow-list and the per-IP rate limit, for every route but the probes. */
export async function registerProtection(app: FastifyInstance, config: Config, store?: RateLimitPluginOptions['store']): Promise<void> {
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'idempotency-replayed'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-request-id'],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  });
  // Not per route: as a root hook it runs before any authentication, so anonymous floods stop too.
  // The client's address is request.ip: behind a load balancer, TRUST_PROXY makes it the client's.
  await app.register(fastifyRateLimit, {
    global: false,
    max: config.rateLimit.perIp,
    timeWindow: 60_000,
    errorResponseBuilder: tooMany,
    allowList: (request) => PROBE_PATHS.has(request.routeOptions.url ?? ''),
    // The per-token budget (auth/per-token-limit.ts) counts in the same store.
    ...(store ? { store } : {}),
  });
  app.addHook('onRequest', app.rateLimit());
}
