import { isDataException } from '../db/errors.ts';
import type { Actor, Ctx } from './context.ts';
import { invalid } from './errors.ts';

type UseCase<C extends Ctx> = (ctx: C, input: never) => Promise<unknown>;
export type Bound<C extends Ctx, F> = F extends (ctx: C, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type BoundUseCases<C extends Ctx, U> = { [K in keyof U]: Bound<C, U[K]> };

/** Whatever input validation missed and PostgreSQL refuses as data is the caller's error, not ours. */
export async function asInputError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isDataException(error)) throw invalid('A value in the request cannot be stored (for example a NUL character or an out-of-range number).');
    throw error;
  }
}

/** Binds use cases to their context so transports pass only the caller and the input. */
export function bindUseCases<C extends Ctx, U extends Record<string, UseCase<C>>>(useCases: U, contextFor: (actor: Actor) => C): BoundUseCases<C, U> {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases) as [keyof U & string, UseCase<C>][]) {
    bound[name] = (actor: Actor, input: never) => asInputError(useCase(contextFor(actor), input));
  }
  return bound as BoundUseCases<C, U>;
}
