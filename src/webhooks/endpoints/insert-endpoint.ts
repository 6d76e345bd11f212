import { webhookEndpoints } from '../../db/schema.ts';
import type { Ctx } from '../../domain/context.ts';
import { ensureOrganisation } from '../../domain/organisations.ts';

type NewEndpoint = Omit<typeof webhookEndpoints.$inferInsert, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>;

/** Stores an endpoint of either channel for the caller's organisation, in the use case's transaction. */
export async function insertEndpoint(tx: Ctx, values: NewEndpoint) {
  await ensureOrganisation(tx);
  const now = tx.clock();
  const [row] = await tx.db
    .insert(webhookEndpoints)
    .values({ ...values, orgId: tx.actor.org, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}
