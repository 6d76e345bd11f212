import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { byId, listPage } from '../../domain/pagination.ts';
import { authorize } from '../../domain/permissions.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { parseInput } from '../../domain/validate.ts';
import type { WebhookCtx } from '../../webhooks/context.ts';
import { presentLrsConfiguration } from './present-lrs-configuration.ts';
import { ListLrsConfigurationsQuery, type LrsConfiguration } from './schemas.ts';

export async function listLrsConfigurations(ctx: WebhookCtx, rawQuery: { limit?: number; cursor?: string }): Promise<Page<LrsConfiguration>> {
  authorize(ctx.actor, 'listLrsConfigurations');
  const query = parseInput(ListLrsConfigurationsQuery, rawQuery);
  const where = and(eq(webhookEndpoints.orgId, ctx.actor.org), eq(webhookEndpoints.channel, 'xapi'));
  return listPage(ctx.db.select().from(webhookEndpoints).$dynamic(), { query, key: byId(webhookEndpoints.id), where }, presentLrsConfiguration);
}
