import type { Database } from '../db/client.ts';
import { exchangeClientCredentials } from './clients/exchange-client-credentials.ts';
import { isClientActive } from './clients/is-client-active.ts';
import { bindUseCases, runUseCase, type BoundUseCases, type UseCaseHooks } from './bind-use-cases.ts';
import type { Actor, Clock, Ctx } from './context.ts';
import { purgeExpiredKeys } from './idempotency/purge-expired-keys.ts';
import { runIdempotent, type IdempotentRequest, type Outcome } from './idempotency/run-idempotent.ts';
import { useCases } from './use-cases.ts';
import { readCalendarFeed } from './calendar/read-calendar-feed.ts';

export type Services = BoundUseCases<Ctx, typeof useCases>;

/** Binds every use case to the database and clock, so transports pass only the caller and the input. */
export function createServices(deps: { db: Database; clock: Clock; hooks?: UseCaseHooks }): Services {
  return bindUseCases(useCases, (actor) => ({ db: deps.db, clock: deps.clock, actor }), deps.hooks);
}

/** The two use cases of client authentication, which run before there is a caller. */
export function createAuthServices(deps: { db: Database; clock: Clock }) {
  return {
    exchangeClientCredentials: (input: { clientId: string; clientSecret: string; scope?: string }) => runUseCase(() => exchangeClientCredentials(deps, input)),
    isClientActive: (actor: Actor) => runUseCase(() => isClientActive(deps, actor)),
  };
}
export type AuthServices = ReturnType<typeof createAuthServices>;

/** Idempotency-Keys: a request's effect and its response committed together (idempotency/run-idempotent.ts). */
export function createIdempotency(deps: { db: Database; clock: Clock; hooks?: UseCaseHooks }) {
  return {
    run: (actor: Actor, request: IdempotentRequest, work: () => Promise<Outcome>) => runIdempotent(deps, actor, request, work),
    purgeExpired: () => runUseCase(() => purgeExpiredKeys(deps)),
  };
}
export type Idempotency = ReturnType<typeof createIdempotency>;

/** The calendar feed, read by the secret in its URL: there is no caller. */
export function createCalendarServices(deps: { db: Database; clock: Clock }) {
  return { readCalendarFeed: (input: { secret: string }) => runUseCase(() => readCalendarFeed(deps, input)) };
}
export type CalendarServices = ReturnType<typeof createCalendarServices>;
