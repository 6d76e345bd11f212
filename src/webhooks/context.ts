import { and, eq } from 'drizzle-orm';
import { outboxEvents, webhookEndpoints } from '../db/schema.ts';
import type { Ctx } from '../domain/context.ts';
import { notFound } from '../domain/errors.ts';
import type { UrlGuardOptions } from './url-guard.ts';

/** A use case's context, plus the URL guard the webhook use cases check endpoints with. */
export interface WebhookCtx extends Ctx {
  guard: UrlGuardOptions;
}

/** An endpoint of the caller's organisation (locked FOR UPDATE on request); a foreign id is 404. */
export async function loadEndpoint(ctx: Ctx, id: string, options: { lock?: boolean } = {}) {
  const query = ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.actor.org), eq(webhookEndpoints.id, id)));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row) throw notFound('webhook endpoint', id);
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
