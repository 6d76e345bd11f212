import { webhookDeliveries } from '../../db/schema.ts';
import type { Ctx } from '../../domain/context.ts';
import { announceWork } from '../notify-work.ts';

/** Queues one-shot (manual) deliveries, due now, and wakes the dispatchers at commit. */
export async function queueManualDeliveries(tx: Ctx, pairs: { endpointId: string; eventId: string }[]): Promise<string[]> {
  if (pairs.length === 0) return [];
  const now = tx.clock();
  const rows = await tx.db
    .insert(webhookDeliveries)
    .values(pairs.map((pair) => ({ ...pair, orgId: tx.actor.org, trigger: 'manual' as const, status: 'pending' as const, nextAttemptAt: now, createdAt: now, updatedAt: now })))
    .returning({ id: webhookDeliveries.id });
  await announceWork(tx.db);
  return rows.map((row) => row.id);
}
