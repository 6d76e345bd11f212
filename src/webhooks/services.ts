import type { Database } from '../db/client.ts';
import type { Actor, Clock } from '../domain/context.ts';
import type { WebhookCtx } from './context.ts';
import type { UrlGuardOptions } from './url-guard.ts';
import { webhookUseCases } from './use-cases.ts';

type UseCase = (ctx: WebhookCtx, input: never) => Promise<unknown>;
type Bound<F> = F extends (ctx: WebhookCtx, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type WebhookServices = { [K in keyof typeof webhookUseCases]: Bound<(typeof webhookUseCases)[K]> };

/** Binds every webhook use case to the database, the clock and the URL guard, as createServices does for the domain. */
export function createWebhookServices(deps: { db: Database; clock: Clock; guard: UrlGuardOptions }): WebhookServices {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(webhookUseCases) as [string, UseCase][]) {
    bound[name] = (actor: Actor, input: never) => useCase({ db: deps.db, clock: deps.clock, guard: deps.guard, actor }, input);
  }
  return bound as WebhookServices;
}
