import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { integrationClients } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { authorize } from '../permissions.ts';
import { ListClientsQuery, type IntegrationClient } from '../schemas/client.ts';
import type { Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';
import { presentClient } from './present-client.ts';

export async function listClients(ctx: Ctx, rawQuery: z.input<typeof ListClientsQuery>): Promise<Page<IntegrationClient>> {
  authorize(ctx.actor, 'listClients');
  const query = parseInput(ListClientsQuery, rawQuery);
  const where = eq(integrationClients.orgId, ctx.actor.org);
  return listPage(ctx.db.select().from(integrationClients).$dynamic(), { query, key: byId(integrationClients.id), where }, presentClient);
}
