import { and, eq } from 'drizzle-orm';
import { outboxEvents, webhookEndpoints } from '../db/schema.ts';
import type { Ctx } from '../domain/context.ts';
import { notFound } from '../domain/errors.ts';
import type { DeliveryChannel } from '../vocabulary.ts';
import type { UrlGuardOptions } from './url-guard.ts';

/** A use case's context, plus the URL guard the webhook use cases check endpoints with. */
export interface WebhookCtx extends Ctx {
  guard: UrlGuardOptions;
}

/**
 * An endpoint of the caller's organisation on one channel (a webhook endpoint by default; `null`
 * for either), locked FOR UPDATE on request; a foreign id, or one of the other channel, is 404.
 */
export async function loadEndpoint(ctx: Ctx, id: string, options: { lock?: boolean; channel?: DeliveryChannel | null } = {}) {
  const channel = options.channel === undefined ? 'webhook' : options.channel;
  const query = ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.actor.org), eq(webhookEndpoints.id, id), channel ? eq(webhookEndpoints.channel, channel) : undefined));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound(channel === 'xapi' ? 'LRS configuration' : 'webhook endpoint', id);
  return row;
}

export async function loadEvent(ctx: Ctx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(outboxEvents)
    .where(and(eq(outboxEvents.orgId, ctx.actor.org), eq(outboxEvents.id, id)));
  if (!row) throw notFound('event', id);
  return row;
}
