import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { ClaimedDelivery } from './claim.ts';

const ABORTED_ERROR = 'Aborted: the dispatcher was shutting down; sent again.';

/**
 * Sends cut short because the dispatcher is shutting down are not the receiver's failure: the
 * attempts are logged as aborted and the deliveries handed back, due at once, for the next
 * dispatcher (a manual resend included, which a recorded failure would not retry). One statement
 * for all of them; a delivery is handed back only while this dispatcher still holds its lease.
 */
export async function releaseDeliveries(db: Database, released: { claimed: ClaimedDelivery; durationMs: number }[], now: Date): Promise<void> {
  if (released.length === 0) return;
  const rows = released.map(({ claimed, durationMs }) => ({
    attempt_id: claimed.attemptId,
    delivery_id: claimed.delivery.id,
    claim_token: claimed.delivery.claimToken,
    duration_ms: Math.round(durationMs),
  }));
  const at = now.toISOString();
  await db.execute(
    sql`with v as (
          select * from json_to_recordset(${JSON.stringify(rows)}::json) as v(attempt_id uuid, delivery_id uuid, claim_token uuid, duration_ms int)
        ),
        attempts as (
          update webhook_attempts a set status = 'failed', error = ${ABORTED_ERROR}, duration_ms = v.duration_ms
          from v where a.id = v.attempt_id
          returning a.id
        )
        update webhook_deliveries d
        set status = 'pending', next_attempt_at = ${at}::timestamptz, claimed_until = null, claim_token = null, updated_at = ${at}::timestamptz
        from v where d.id = v.delivery_id and d.claim_token = v.claim_token`,
  );
}
