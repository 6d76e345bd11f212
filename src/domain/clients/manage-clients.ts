import { and, eq, isNull } from 'drizzle-orm';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { integrationClients } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { ensureOrganisation } from '../organisations.ts';
import { byId, listPage } from '../pagination.ts';
import { authorize, type Scope } from '../permissions.ts';
import { iso, isoOrNull } from '../present.ts';
import { CreateClient, ListClientsQuery, type IntegrationClient } from '../schemas/client.ts';
import type { Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';
import { hashClientSecret, newClientSecret } from './client-secret.ts';

type ClientRow = typeof integrationClients.$inferSelect;

export const presentClient = (row: ClientRow): IntegrationClient => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes as Scope[],
  createdBy: row.createdBy,
  createdAt: iso(row.createdAt),
  revokedAt: isoOrNull(row.revokedAt),
});

/** A machine client for an HR system or LMS; its secret is returned this once and only hashed. */
export async function createClient(ctx: Ctx, rawInput: z.input<typeof CreateClient>): Promise<IntegrationClient & { clientSecret: string }> {
  authorize(ctx.actor, 'createClient');
  const input = parseInput(CreateClient, rawInput);
  const clientSecret = newClientSecret();
  const secretHash = await hashClientSecret(clientSecret);
  return withAudit(ctx, { action: 'createClient', subjectType: 'client', subjectId: (client) => client.id }, async (tx) => {
    await ensureOrganisation(tx);
    const [row] = await tx.db
      .insert(integrationClients)
      .values({ orgId: tx.actor.org, name: input.name, scopes: [...new Set(input.scopes)], secretHash, createdBy: tx.actor.sub, createdAt: tx.clock() })
      .returning();
    return { ...presentClient(row!), clientSecret };
  });
}

export async function listClients(ctx: Ctx, rawQuery: z.input<typeof ListClientsQuery>): Promise<Page<IntegrationClient>> {
  authorize(ctx.actor, 'listClients');
  const query = parseInput(ListClientsQuery, rawQuery);
  const where = eq(integrationClients.orgId, ctx.actor.org);
  return listPage(ctx.db.select().from(integrationClients).$dynamic(), { query, key: byId(integrationClients.id), where }, presentClient);
}

export async function getClient(ctx: Ctx, input: { id: string }): Promise<IntegrationClient> {
  authorize(ctx.actor, 'getClient');
  const [row] = await ctx.db
    .select()
    .from(integrationClients)
    .where(and(eq(integrationClients.orgId, ctx.actor.org), eq(integrationClients.id, input.id)));
  if (!row) throw notFound('integration client', input.id);
  return presentClient(row);
}

/** Stops new tokens at once; live tokens stop at their next request (see isClientActive). */
export async function revokeClient(ctx: Ctx, input: { id: string }): Promise<IntegrationClient> {
  authorize(ctx.actor, 'revokeClient');
  return withAudit(ctx, { action: 'revokeClient', subjectType: 'client', subjectId: (client) => client.id }, async (tx) => {
    const [row] = await tx.db
      .update(integrationClients)
      .set({ revokedAt: tx.clock() })
      .where(and(eq(integrationClients.orgId, tx.actor.org), eq(integrationClients.id, input.id), isNull(integrationClients.revokedAt)))
      .returning();
    if (row) return presentClient(row);
    return getClient(tx, input);
  });
}
