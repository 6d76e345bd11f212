import { asc, eq, gt, sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import { outboxEvents, webhookCursors } from '../db/schema.ts';
import { TEST_EVENT_TYPE } from './vocabulary.ts';

const CURSOR = 'fan-out';
const BATCH = 1000;
/**
 * seq is taken at insert, not at commit: a transaction that took seq 10 may commit after 11.
 * The cursor stops before such a gap until the event after it is this old; by then the missing
 * seq belongs to a rolled-back transaction. Events past a gap are still fanned out at once (the
 * unique scheduled delivery makes the repeat harmless); only the cursor waits.
 */
export const GAP_GRACE_MS = 60_000;

export async function ensureFanOutCursor(db: Database): Promise<void> {
  await db.insert(webhookCursors).values({ name: CURSOR, seq: 0 }).onConflictDoNothing();
}

/**
 * Turns new outbox events into one scheduled delivery per matching enabled endpoint, due now.
 * One fan-out at a time across every instance: the cursor row is locked, and a dispatcher that
 * finds it locked skips the step (another is doing it). Returns the deliveries created.
 */
export async function fanOut(db: Database, now: Date): Promise<number> {
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    const [cursor] = await tx.select().from(webhookCursors).where(eq(webhookCursors.name, CURSOR)).for('update', { skipLocked: true });
    if (!cursor) return 0;
    const events = await tx
      .select({ seq: outboxEvents.seq, createdAt: outboxEvents.createdAt })
      .from(outboxEvents)
      .where(gt(outboxEvents.seq, cursor.seq))
      .orderBy(asc(outboxEvents.seq))
      .limit(BATCH);
    const last = events.at(-1);
    if (!last) return 0;

    const at = now.toISOString();
    const created = await selectRows<{ id: string }>(
      tx,
      sql`insert into webhook_deliveries (org_id, endpoint_id, event_id, trigger, status, attempts, next_attempt_at, created_at, updated_at)
          select e.org_id, w.id, e.id, 'scheduled', 'pending', 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from outbox_events e
          join webhook_endpoints w on w.org_id = e.org_id and w.enabled and w.created_at <= e.created_at
            and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
          where e.seq > ${cursor.seq} and e.seq <= ${last.seq} and e.type <> ${TEST_EVENT_TYPE}
          on conflict (endpoint_id, event_id) where trigger = 'scheduled' do nothing
          returning id`,
    );

    let advanced = cursor.seq;
    for (const event of events) {
      const contiguous = event.seq === advanced + 1;
      if (!contiguous && now.getTime() - event.createdAt.getTime() < GAP_GRACE_MS) break;
      advanced = event.seq;
    }
    if (advanced !== cursor.seq) await tx.update(webhookCursors).set({ seq: advanced, updatedAt: now }).where(eq(webhookCursors.name, CURSOR));
    return created.length;
  });
}
