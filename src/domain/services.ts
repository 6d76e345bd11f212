import type { Database } from '../db/client.ts';
import type { Actor, Clock, Ctx } from './context.ts';
import { useCases } from './use-cases.ts';

type UseCase = (ctx: Ctx, input: never) => Promise<unknown>;
type Bound<F> = F extends (ctx: Ctx, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type Services = { [K in keyof typeof useCases]: Bound<(typeof useCases)[K]> };

/** Binds every use case to the database and clock, so transports pass only the caller and the input. */
export function createServices(deps: { db: Database; clock: Clock }): Services {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(useCases) as [string, UseCase][]) {
    bound[name] = (actor: Actor, input: never) => useCase({ db: deps.db, clock: deps.clock, actor }, input);
  }
  return bound as Services;
}
