import { and, inArray, lt } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { webhookDeliveries } from '../db/schema.ts';
import { EVENT_RETENTION_MS } from './vocabulary.ts';

/**
 * Drops finished deliveries (and, by cascade, their attempts) older than the 30 days events are
 * kept for, a batch at a time. The outbox itself belongs to the domain and is not pruned here.
 */
export async function pruneDeliveries(db: Database, now: Date, batch = 1000): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_MS);
  const old = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(lt(webhookDeliveries.createdAt, cutoff), inArray(webhookDeliveries.status, ['succeeded', 'failed'])))
    .limit(batch);
  const deleted = await db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, old)).returning({ id: webhookDeliveries.id });
  return deleted.length;
}
