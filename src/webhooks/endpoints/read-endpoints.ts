import { authorize } from '../../domain/permissions.ts';
import { and, asc, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { afterCursor, toPage } from '../../domain/pagination.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import { ListWebhookEndpointsQuery, type WebhookEndpoint } from '../schemas/endpoint.ts';
import { presentEndpoint } from './present-endpoint.ts';

export async function getWebhookEndpoint(ctx: WebhookCtx, input: { id: string }): Promise<WebhookEndpoint> {
  authorize(ctx.actor, 'getWebhookEndpoint');
  return presentEndpoint(await loadEndpoint(ctx, input.id), ctx.clock());
}

export async function listWebhookEndpoints(ctx: WebhookCtx, rawQuery: { limit?: number; cursor?: string }): Promise<Page<WebhookEndpoint>> {
  authorize(ctx.actor, 'listWebhookEndpoints');
  const query = parseInput(ListWebhookEndpointsQuery, rawQuery);
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, ctx.actor.org), afterCursor(webhookEndpoints.id, query.cursor)))
    .orderBy(asc(webhookEndpoints.id))
    .limit(query.limit + 1);
  const now = ctx.clock();
  return toPage(rows, query.limit, (row) => presentEndpoint(row, now));
}
