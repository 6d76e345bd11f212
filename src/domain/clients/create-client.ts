import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { integrationClients } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { ensureOrganisation } from '../organisations.ts';
import { authorize } from '../permissions.ts';
import { CreateClient, type IntegrationClient } from '../schemas/client.ts';
import { parseInput } from '../validate.ts';
import { hashClientSecret, newClientSecret } from './client-secret.ts';
import { presentClient } from './present-client.ts';

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
