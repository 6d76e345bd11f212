import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Actor } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';

export const tooMany = (_request: unknown, context: { after: string; max: number }) =>
  new DomainError('RATE_LIMITED', `More than ${context.max} requests a minute; retry in ${context.after}.`);

const hashedKeys = new Map<string, string>();
const HASHED_KEYS_KEPT = 10_000;

/**
 * The budget's key: the token's organisation and subject (or integration client), hashed. The
 * hashes of recent callers are kept (a SHA-256 on every request was 3 % of a read's CPU).
 */
const budgetKey = (actor: Actor) => {
  const caller = `${actor.org}\u0000${actor.clientId ?? actor.sub}`;
  let key = hashedKeys.get(caller);
  if (key === undefined) {
    if (hashedKeys.size >= HASHED_KEYS_KEPT) hashedKeys.clear();
    key = `token:${createHash('sha256').update(caller).digest('base64url')}`;
    hashedKeys.set(caller, key);
  }
  return key;
};

export interface LimitOutcome {
  allowed: boolean;
  max: number;
  remaining: number;
  /** Seconds until the budget refills. */
  resetIn: number;
}

export interface PerTokenLimit {
  /** Spends one unit of the caller's budget (REST request, GraphQL request or WebSocket operation). */
  spend(actor: Actor): Promise<LimitOutcome>;
  /** After authentication on HTTP routes: spends one unit, answers 429 RATE_LIMITED when over. */
  hook(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/**
 * One budget per token for every transport: REST, GraphQL over HTTP and each WebSocket operation
 * spend from the same counter (the rate-limit plugin's store, so a shared store later covers all).
 * Built on createRateLimit because the plugin's own handler runs once per request, and the per-IP
 * limit has already run.
 */
export function createPerTokenLimit(app: FastifyInstance, config: Pick<Config, 'rateLimit'>): PerTokenLimit {
  const check = app.createRateLimit({
    max: config.rateLimit.perToken,
    timeWindow: 60_000,
    keyGenerator: (request) => budgetKey((request as unknown as { actor: Actor }).actor),
  });
  const spend = async (actor: Actor): Promise<LimitOutcome> => {
    // The limiter reads the key from a request; a WebSocket operation has none of its own, so it
    // gets the smallest stand-in the plugin reads (the caller and route options without a group).
    const limit = await check({ actor, routeOptions: { config: {} } } as unknown as FastifyRequest);
    if (limit.isAllowed) return { allowed: true, max: config.rateLimit.perToken, remaining: config.rateLimit.perToken, resetIn: 0 };
    return { allowed: !limit.isExceeded, max: limit.max, remaining: limit.remaining, resetIn: limit.ttlInSeconds };
  };
  return {
    spend,
    async hook(request, reply) {
      const limit = await spend(request.actor);
      reply.header('x-ratelimit-limit', limit.max).header('x-ratelimit-remaining', limit.remaining).header('x-ratelimit-reset', limit.resetIn);
      if (limit.allowed) return;
      reply.header('retry-after', limit.resetIn);
      throw tooMany(request, { after: `${limit.resetIn} seconds`, max: limit.max });
    },
  };
}
