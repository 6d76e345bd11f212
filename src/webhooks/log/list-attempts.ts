import { authorize } from '../../domain/permissions.ts';
import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import { webhookAttempts } from '../../db/schema.ts';
import type { Ctx } from '../../domain/context.ts';
import { byId, listPage } from '../../domain/pagination.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEndpoint, loadEvent, type WebhookCtx } from '../context.ts';
import { ListAttemptsQuery, type WebhookAttempt } from '../schemas/attempt.ts';
import { presentAttempt } from './present-attempt.ts';

/** The delivery log of one endpoint, oldest first, filtered by status, event type and time. */
export async function listEndpointAttempts(ctx: WebhookCtx, input: { id: string; query: ListAttemptsQuery }): Promise<Page<WebhookAttempt>> {
  authorize(ctx.actor, 'listWebhookEndpointAttempts');
  const endpoint = await loadEndpoint(ctx, input.id);
  return listAttempts(ctx, eq(webhookAttempts.endpointId, endpoint.id), input.query);
}

/** Every attempt to deliver one event, to every endpoint. */
export async function listEventAttempts(ctx: WebhookCtx, input: { id: string; query: ListAttemptsQuery }): Promise<Page<WebhookAttempt>> {
  authorize(ctx.actor, 'listEventAttempts');
  const event = await loadEvent(ctx, input.id);
  return listAttempts(ctx, eq(webhookAttempts.eventId, event.id), input.query);
}

async function listAttempts(ctx: Ctx, scope: SQL, rawQuery: ListAttemptsQuery): Promise<Page<WebhookAttempt>> {
  const query = parseInput(ListAttemptsQuery, rawQuery);
  const a = webhookAttempts;
  const where = and(
    eq(a.orgId, ctx.actor.org),
    scope,
    query.status ? eq(a.status, query.status) : undefined,
    query.eventType ? eq(a.eventType, query.eventType) : undefined,
    query.since ? gte(a.at, new Date(query.since)) : undefined,
    query.until ? lt(a.at, new Date(query.until)) : undefined,
  );
  return listPage(ctx.db.select().from(a).$dynamic(), { query, key: byId(a.id), where }, presentAttempt);
}
