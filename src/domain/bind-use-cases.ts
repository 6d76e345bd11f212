import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionFailure, isDataException, isSerializationFailure } from '../db/errors.ts';
import { ambientTransaction, type Actor, type Ctx } from './context.ts';
import { DomainError, invalid } from './errors.ts';

type UseCase<C extends Ctx> = (ctx: C, input: never) => Promise<unknown>;
export type Bound<C extends Ctx, F> = F extends (ctx: C, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type BoundUseCases<C extends Ctx, U> = { [K in keyof U]: Bound<C, U[K]> };

/** How often a use case refused for a serialization failure or deadlock (40001, 40P01) is run again. */
export const SERIALIZATION_RETRIES = 4;
/**
 * What the wiring may observe of use cases without the domain knowing metrics or traces: `around`
 * runs each attempt (a trace span), `retried` hears each retry after a serialization failure.
 */
export interface UseCaseHooks {
  around?<T>(name: string, work: () => Promise<T>): Promise<T>;
  retried?(name: string): void;
}

/** Seconds a client should wait before retrying when the database is busy or unreachable. */
export const RETRY_AFTER_BUSY = 1;
export const RETRY_AFTER_UNREACHABLE = 5;

/** Whatever input validation missed and PostgreSQL refuses as data is the caller's error, not ours. */
export async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isDataException(error)) throw invalid('A value in the request cannot be stored (for example a NUL character or an out-of-range number).');
    throw error;
  }
}

/**
 * A failure of the database that is no fault of the request, as the domain error the transports
 * answer (503 with Retry-After): the database unreachable, or still refusing after the retries.
 */
export function asServiceFailure(error: unknown): DomainError | undefined {
  if (isSerializationFailure(error)) {
    return new DomainError('UNAVAILABLE', 'The change kept colliding with concurrent changes; retry shortly.', { retryAfter: RETRY_AFTER_BUSY });
  }
  if (isConnectionFailure(error)) return new DomainError('UNAVAILABLE', 'The database is unreachable; retry shortly.', { retryAfter: RETRY_AFTER_UNREACHABLE });
  return undefined;
}

// Full jitter over a doubling window (10, 20, 40, 80 ms): racers that collided spread out.
const pause = (attempt: number) => sleep(Math.random() * 10 * 2 ** attempt);

/**
 * The one place a use case runs. A use case is one transaction, so running it again after a
 * serialization failure or deadlock is safe; it is retried a bounded number of times with jitter,
 * then answered as UNAVAILABLE, as is a lost database. Inside an outer unit of work (an
 * idempotent request's transaction) the outer unit retries as a whole, so errors pass through.
 */
export async function runUseCase<T>(work: () => Promise<T>, name = 'useCase', hooks: UseCaseHooks = {}): Promise<T> {
  const once = hooks.around ? () => hooks.around!(name, work) : work;
  if (ambientTransaction.getStore()) return asInputError(once());
  for (let attempt = 0; ; attempt++) {
    try {
      return await asInputError(once());
    } catch (error) {
      if (isSerializationFailure(error) && attempt < SERIALIZATION_RETRIES) {
        hooks.retried?.(name);
        await pause(attempt);
        continue;
      }
      throw asServiceFailure(error) ?? error;
    }
  }
}

/** Binds use cases to their context so transports pass only the caller and the input. */
export function bindUseCases<C extends Ctx, U extends Record<string, UseCase<C>>>(useCases: U, contextFor: (actor: Actor) => C, hooks: UseCaseHooks = {}): BoundUseCases<C, U> {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases) as [keyof U & string, UseCase<C>][]) {
    bound[name] = (actor: Actor, input: never) =>
      runUseCase(() => {
        const ctx = contextFor(actor);
        const outer = ambientTransaction.getStore();
        return useCase(outer ? { ...ctx, db: outer } : ctx, input);
      }, name, hooks);
  }
  return bound as BoundUseCases<C, U>;
}
