import { authorize } from '../../domain/permissions.ts';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { byId, listPage } from '../../domain/pagination.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { parseInput } from '../../domain/validate.ts';
import type { WebhookCtx } from '../context.ts';
import { ListWebhookEndpointsQuery, type WebhookEndpoint } from '../schemas/endpoint.ts';
import { presentEndpoint } from './present-endpoint.ts';

export async function listWebhookEndpoints(ctx: WebhookCtx, rawQuery: { limit?: number; cursor?: string }): Promise<Page<WebhookEndpoint>> {
  authorize(ctx.actor, 'listWebhookEndpoints');
  const query = parseInput(ListWebhookEndpointsQuery, rawQuery);
  const now = ctx.clock();
  const where = and(eq(webhookEndpoints.orgId, ctx.actor.org), eq(webhookEndpoints.channel, 'webhook'));
  return listPage(ctx.db.select().from(webhookEndpoints).$dynamic(), { query, key: byId(webhookEndpoints.id), where }, (row) => presentEndpoint(row, now));
}
