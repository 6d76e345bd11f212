import { and, eq, isNull } from 'drizzle-orm';
import { withAudit } from '../audit/record-audit.ts';
import { integrationClients } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { IntegrationClient } from '../schemas/client.ts';
import { presentClient } from './present-client.ts';
import { getClient } from './get-client.ts';

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
