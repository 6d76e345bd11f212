import { eq, sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import { webhookCursors } from '../db/schema.ts';
import { advance, statementSnapshot, unread, type FeedPosition } from './visibility.ts';
import { TEST_EVENT_TYPE } from './vocabulary.ts';

/** The fan-out's row in webhook_cursors. */
export const FAN_OUT_CURSOR = 'fan-out';
const CURSOR = FAN_OUT_CURSOR;
const BATCH = 1000;

export async function ensureFanOutCursor(db: Database): Promise<void> {
  await db.insert(webhookCursors).values({ name: CURSOR, seq: 0 }).onConflictDoNothing();
}

export type FanOut = (db: Database, now: Date) => Promise<number>;

/**
 * Turns new outbox events into one scheduled delivery per matching enabled endpoint, due now.
 * One fan-out at a time across every instance: the cursor row is locked, and a dispatcher that
 * finds it locked skips the step (another is doing it). Returns the deliveries created.
 *
 * The cursor is a feed position (visibility.ts): each round reads what has become visible since
 * the snapshot it names, up to `batch` events, and moves it in the same transaction. A transaction
 * still open or rolled back holds back nothing but its own events.
 */
export function createFanOut(options: { batch?: number } = {}): FanOut {
  const batch = options.batch ?? BATCH;

  return async (db, now) => {
    let created = 0;
    for (;;) {
      const round = await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Database;
        const [cursor] = await tx.select().from(webhookCursors).where(eq(webhookCursors.name, CURSOR)).for('update', { skipLocked: true });
        if (!cursor) return null;
        const position: FeedPosition = { snapshot: cursor.snapshot, batch: cursor.batch, seq: cursor.seq };
        const at = now.toISOString();
        // One statement: its snapshot, the events it sees past the position, the deliveries made of them.
        const rows = await selectRows<{ snapshot: string; seq: string | number | null; read: number; created: number }>(
          tx,
          sql`with s as (select ${statementSnapshot} as now),
              e as (select e.id, e.seq, e.org_id, e.type, e.created_at from outbox_events e where ${unread(position)} order by e.seq limit ${batch}),
              made as (
                insert into webhook_deliveries (org_id, endpoint_id, event_id, trigger, status, attempts, next_attempt_at, created_at, updated_at)
                select e.org_id, w.id, e.id, 'scheduled', 'pending', 0, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
                from e
                join webhook_endpoints w on w.org_id = e.org_id and w.enabled and w.created_at <= e.created_at
                  and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
                where e.type <> ${TEST_EVENT_TYPE}
                on conflict (endpoint_id, event_id) where trigger = 'scheduled' do nothing
                returning 1
              )
              select s.now as snapshot, (select max(seq) from e) as seq, (select count(*) from e)::int as read, (select count(*) from made)::int as created
              from s`,
        );
        const row = rows[0]!;
                const next = advance(position, row.snapshot, row.seq === null ? null : Number(row.seq), Number(row.read) >= batch);
        await tx
          .update(webhookCursors)
          .set({ snapshot: next.position.snapshot, batch: next.position.batch, seq: next.position.seq, updatedAt: now })
          .where(eq(webhookCursors.name, CURSOR));
        return { created: Number(row.created), again: next.again };
      });
      if (!round) return created;
      created += round.created;
      if (!round.again) return created;
    }
  };
}
