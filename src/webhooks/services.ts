import type { Database } from '../db/client.ts';
import { recordAudit } from '../domain/audit/audit-log.ts';
import { withTransaction, type Actor, type Clock } from '../domain/context.ts';
import type { WebhookCtx } from './context.ts';
import type { UrlGuardOptions } from './url-guard.ts';
import { webhookUseCases } from './use-cases.ts';

type UseCase = (ctx: WebhookCtx, input: never) => Promise<unknown>;
type Bound<F> = F extends (ctx: WebhookCtx, input: infer I) => Promise<infer O> ? (actor: Actor, input: I) => Promise<O> : never;
export type WebhookServices = { [K in keyof typeof webhookUseCases]: Bound<(typeof webhookUseCases)[K]> };

/** The webhook changes that go to the audit log, with the kind of object each one changes. */
const AUDITED: Partial<Record<keyof typeof webhookUseCases, string>> = {
  createWebhookEndpoint: 'webhook_endpoint',
  updateWebhookEndpoint: 'webhook_endpoint',
  deleteWebhookEndpoint: 'webhook_endpoint',
  rotateWebhookSecret: 'webhook_endpoint',
  recoverWebhookEndpoint: 'webhook_endpoint',
  resendEvent: 'event',
};

const subjectIdOf = (input: unknown, result: unknown): string | null => {
  const fromResult = (result as { id?: unknown; eventId?: unknown } | null)?.id ?? (result as { eventId?: unknown } | null)?.eventId;
  const fromInput = (input as { id?: unknown; eventId?: unknown } | null)?.id ?? (input as { eventId?: unknown } | null)?.eventId;
  const id = fromResult ?? fromInput;
  return typeof id === 'string' ? id : null;
};

/** Binds every webhook use case to the database, the clock and the URL guard, as createServices does for the domain. */
export function createWebhookServices(deps: { db: Database; clock: Clock; guard: UrlGuardOptions }): WebhookServices {
  const bound: Record<string, unknown> = {};
  for (const [name, useCase] of Object.entries(webhookUseCases) as [keyof typeof webhookUseCases, UseCase][]) {
    const subjectType = AUDITED[name];
    const ctxFor = (actor: Actor): WebhookCtx => ({ db: deps.db, clock: deps.clock, guard: deps.guard, actor });
    bound[name] = subjectType
      ? (actor: Actor, input: never) =>
          withTransaction(ctxFor(actor), async (tx) => {
            const result = await useCase(tx as WebhookCtx, input);
            await recordAudit(tx, { action: name, subjectType, subjectId: subjectIdOf(input, result) });
            return result;
          })
      : (actor: Actor, input: never) => useCase(ctxFor(actor), input);
  }
  return bound as WebhookServices;
}
