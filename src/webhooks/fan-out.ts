import { eq, sql, type SQL } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import { webhookCursors } from '../db/schema.ts';
import { gapMayFill } from './seq-gaps.ts';
import { TEST_EVENT_TYPE } from './vocabulary.ts';

/** The fan-out's row in webhook_cursors. */
export const FAN_OUT_CURSOR = 'fan-out';
const CURSOR = FAN_OUT_CURSOR;
const BATCH = 1000;
// The persisted cursor follows the gap rule (seq-gaps.ts). Events past a gap are still fanned out
// at once (the unique scheduled delivery makes a repeat harmless); only the cursor waits.

export async function ensureFanOutCursor(db: Database): Promise<void> {
  await db.insert(webhookCursors).values({ name: CURSOR, seq: 0 }).onConflictDoNothing();
}

/** Seqs strictly between `after` and `before` that were missing when read; `graceFrom` is when the event at `before` was created. */
interface Gap {
  after: number;
  before: number;
  graceFrom: number;
}

export type FanOut = (db: Database, now: Date) => Promise<number>;

/**
 * Turns new outbox events into one scheduled delivery per matching enabled endpoint, due now.
 * One fan-out at a time across every instance: the cursor row is locked, and a dispatcher that
 * finds it locked skips the step (another is doing it). Returns the deliveries created.
 *
 * The persisted cursor only passes a gap in seq once it is filled or its grace has run out. So
 * that a gap does not hold back everything after it, each fan-out also remembers (in memory) how
 * far it has read and which gaps lie behind that point: later rounds read on from there, plus
 * whatever has since appeared inside the gaps. Another dispatcher, or a restart, starts again
 * from the persisted cursor; re-reading is harmless.
 */
export function createFanOut(options: { batch?: number } = {}): FanOut {
  const batch = options.batch ?? BATCH;
  let remembered: { ahead: number; gaps: Gap[] } = { ahead: 0, gaps: [] };

  return async (db, now) => {
    const result = await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Database;
      const [cursor] = await tx.select().from(webhookCursors).where(eq(webhookCursors.name, CURSOR)).for('update', { skipLocked: true });
      if (!cursor) return null;
      // The memory is updated only once this transaction has committed.
      let ahead = remembered.ahead;
      let gaps = remembered.gaps;
      if (ahead <= cursor.seq) {
        ahead = cursor.seq; // another dispatcher has read further (or this one starts)
        gaps = [];
      }
      gaps = gaps.filter((gap) => gap.before - 1 > cursor.seq).map((gap) => ({ ...gap, after: Math.max(gap.after, cursor.seq) }));

      const inGaps: SQL[] = gaps.map((gap) => sql`(seq > ${gap.after} and seq < ${gap.before})`);
      const read = sql`(select id, seq, org_id, type, created_at from outbox_events where seq > ${ahead} order by seq limit ${batch})${
        inGaps.length ? sql` union all (select id, seq, org_id, type, created_at from outbox_events where ${sql.join(inGaps, sql` or `)})` : sql``
      }`;
      const at = now.toISOString();
      // One statement: read, insert the deliveries, and return what was read with the count made.
      const rows = await selectRows<{ seq: string | number; created_ms: number; created: number }>(
        tx,
        sql`with e as (${read}),
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
            select e.seq, (extract(epoch from e.created_at) * 1000)::float8 as created_ms, (select count(*) from made)::int as created
            from e order by e.seq`,
      );
      const events = rows.map((row) => ({ seq: Number(row.seq), createdAt: Number(row.created_ms) }));

      // Late commits found inside gaps split them; new events past `ahead` may open new gaps.
      for (const event of events) {
        if (event.seq <= ahead) {
          gaps = gaps.flatMap((gap) =>
            event.seq > gap.after && event.seq < gap.before
              ? [
                  { after: gap.after, before: event.seq, graceFrom: gap.graceFrom },
                  { after: event.seq, before: gap.before, graceFrom: gap.graceFrom },
                ]
              : [gap],
          );
          continue;
        }
        if (event.seq > ahead + 1) gaps.push({ after: ahead, before: event.seq, graceFrom: event.createdAt });
        ahead = event.seq;
      }
      // Empty gaps are closed; one whose grace has run out belonged to a rolled-back transaction.
      gaps = gaps.filter((gap) => gap.before - gap.after > 1 && gapMayFill(gap.graceFrom, now.getTime()));

      const advanced = gaps.length ? Math.min(...gaps.map((gap) => gap.after)) : ahead;
      if (advanced > cursor.seq) await tx.update(webhookCursors).set({ seq: advanced, updatedAt: now }).where(eq(webhookCursors.name, CURSOR));
      return { created: Number(rows[0]?.created ?? 0), ahead, gaps };
    });
    if (!result) return 0;
    remembered = { ahead: result.ahead, gaps: result.gaps };
    return result.created;
  };
}
