import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { webhookAttempts, webhookDeliveries } from '../db/schema.ts';
import type { ClaimedDelivery } from './claim.ts';

/**
 * A send cut short because the dispatcher is shutting down is not the receiver's failure: the
 * attempt is logged as aborted and the delivery handed back, due at once, for the next dispatcher
 * (a manual resend included, which a recorded failure would not retry).
 */
export async function releaseDelivery(db: Database, claimed: ClaimedDelivery, now: Date, durationMs: number): Promise<void> {
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    await tx
      .update(webhookAttempts)
      .set({ status: 'failed', error: 'Aborted: the dispatcher was shutting down; sent again.', durationMs: Math.round(durationMs) })
      .where(eq(webhookAttempts.id, claimed.attemptId));
    await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', nextAttemptAt: now, claimedUntil: null, claimToken: null, updatedAt: now })
      .where(and(eq(webhookDeliveries.id, claimed.delivery.id), eq(webhookDeliveries.claimToken, claimed.delivery.claimToken!)));
  });
}
