import { and, eq } from 'drizzle-orm';
import { integrationClients } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import type { IntegrationClient } from '../schemas/client.ts';
import { presentClient } from './present-client.ts';

export async function getClient(ctx: Ctx, input: { id: string }): Promise<IntegrationClient> {
  authorize(ctx.actor, 'getClient');
  const [row] = await ctx.db
    .select()
    .from(integrationClients)
    .where(and(eq(integrationClients.orgId, ctx.actor.org), eq(integrationClients.id, input.id)));
  if (!row) throw notFound('integration client', input.id);
  return presentClient(row);
}
