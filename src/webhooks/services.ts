import type { Database } from '../db/client.ts';
import { bindUseCases, type BoundUseCases } from '../domain/bind-use-cases.ts';
import type { Clock } from '../domain/context.ts';
import type { WebhookCtx } from './context.ts';
import type { UrlGuardOptions } from './url-guard.ts';
import { webhookUseCases } from './use-cases.ts';

export type WebhookServices = BoundUseCases<WebhookCtx, typeof webhookUseCases>;

/** Binds every webhook use case to the database, the clock and the URL guard, as createServices does for the domain. */
export function createWebhookServices(deps: { db: Database; clock: Clock; guard: UrlGuardOptions }): WebhookServices {
  return bindUseCases(webhookUseCases, (actor) => ({ db: deps.db, clock: deps.clock, guard: deps.guard, actor }));
}
