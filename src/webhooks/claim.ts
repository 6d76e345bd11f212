import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { outboxEvents, webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema.ts';
import type { OutboxEventRow } from './message.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** One delivery this dispatcher holds the lease on, with what it needs to send it. */
export interface ClaimedDelivery {
  delivery: DeliveryRow;
  attemptId: string;
  event: OutboxEventRow;
  endpoint: EndpointRow;
}

export const LEASE_LOST_ERROR = 'The dispatcher stopped mid-send (its lease expired); sent again.';

/**
 * Claims up to `limit` due deliveries of enabled endpoints: pending ones whose time has come, and
 * sending ones whose lease has run out (their dispatcher died mid-send: at least once). FOR UPDATE
 * SKIP LOCKED lets any number of dispatchers claim side by side without waiting on or taking each
 * other's rows; the lease (claimed_until) then keeps the row theirs after this transaction ends,
 * while the HTTP request runs outside any transaction. Each claim opens its attempt in the log.
 */
export async function claimDue(db: Database, options: { now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const { now, leaseMs, limit } = options;
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const d = webhookDeliveries;
    const due = await tx
      .select({ id: d.id })
      .from(d)
      .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, d.endpointId))
      .where(
        and(
          eq(webhookEndpoints.enabled, true),
          or(and(eq(d.status, 'pending'), lte(d.nextAttemptAt, now)), and(eq(d.status, 'sending'), lte(d.claimedUntil, now))),
        ),
      )
      .orderBy(asc(d.nextAttemptAt))
      .limit(limit)
      .for('update', { of: d, skipLocked: true });
    if (due.length === 0) return [];
    const ids = due.map((row) => row.id);

    const claimToken = randomUUID();
    const deliveries = await tx
      .update(d)
      .set({ status: 'sending', attempts: sql`${d.attempts} + 1`, claimedUntil: new Date(now.getTime() + leaseMs), claimToken, lastAttemptAt: now, updatedAt: now })
      .where(inArray(d.id, ids))
      .returning();
    await tx
      .update(webhookAttempts)
      .set({ status: 'failed', error: LEASE_LOST_ERROR })
      .where(and(inArray(webhookAttempts.deliveryId, ids), eq(webhookAttempts.status, 'sending')));

    const events = new Map(
      (await tx.select().from(outboxEvents).where(inArray(outboxEvents.id, [...new Set(deliveries.map((row) => row.eventId))]))).map((row) => [row.id, row]),
    );
    const endpoints = new Map(
      (await tx.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...new Set(deliveries.map((row) => row.endpointId))]))).map((row) => [row.id, row]),
    );
    const attempts = await tx
      .insert(webhookAttempts)
      .values(
        deliveries.map((row) => ({
          orgId: row.orgId,
          deliveryId: row.id,
          endpointId: row.endpointId,
          eventId: row.eventId,
          eventType: events.get(row.eventId)!.type,
          attemptNumber: row.attempts,
          trigger: row.trigger,
          status: 'sending' as const,
          at: now,
        })),
      )
      .returning({ id: webhookAttempts.id, deliveryId: webhookAttempts.deliveryId });
    const attemptOf = new Map(attempts.map((row) => [row.deliveryId, row.id]));
    return deliveries.map((row) => ({ delivery: row, attemptId: attemptOf.get(row.id)!, event: events.get(row.eventId)!, endpoint: endpoints.get(row.endpointId)! }));
  });
}
