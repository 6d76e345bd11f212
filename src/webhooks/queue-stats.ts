import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import { FAN_OUT_CURSOR } from './fan-out.ts';
import { unreadFromRow } from './visibility.ts';

export interface QueueStats {
  /** Seconds since the oldest event the fan-out has not yet turned into deliveries was written (0 when none). */
  outboxLagSeconds: number;
  /** Seconds since the event of the oldest delivery still pending or being sent was written (0 when none). */
  oldestPendingSeconds: number;
  /** Deliveries not yet succeeded, by endpoint and status (pending, sending, failed). */
  deliveries: { endpointId: string; status: string; count: number }[];
}

/**
 * What an operator watches of the outbox and the webhook queue, read at scrape time in one
 * statement: the fan-out's lag behind the outbox (the events its position has not read, visibility.ts),
 * the age of the oldest undelivered delivery, and the queue by endpoint. Succeeded deliveries are
 * not counted (they are the bulk of the table); failed ones are until the prune removes them.
 */
export async function readQueueStats(db: Database, now: Date): Promise<QueueStats> {
  const rows = await selectRows<{ kind: string; endpoint_id: string | null; status: string | null; n: number; oldest: Date | string | null }>(
    db,
    sql`
      select 'outbox' as kind, null::uuid as endpoint_id, null::text as status, count(*)::int as n, min(e.created_at) as oldest
        from outbox_events e
        cross join lateral (select coalesce(w.seq, 0) as seq, w.snapshot, w.batch from (select 1) one left join webhook_cursors w on w.name = ${FAN_OUT_CURSOR}) c
       where ${unreadFromRow}
      union all
      select 'delivery', d.endpoint_id, d.status, count(*)::int, min(e.created_at)
        from webhook_deliveries d join outbox_events e on e.id = d.event_id
       where d.status in ('pending', 'sending', 'failed')
       group by d.endpoint_id, d.status`,
  );
  const age = (oldest: Date | string | null) => (oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0);
  const outbox = rows.find((row) => row.kind === 'outbox');
  const undelivered = rows.filter((row) => row.kind === 'delivery' && row.status !== 'failed');
  return {
    outboxLagSeconds: age(outbox?.oldest ?? null),
    oldestPendingSeconds: Math.max(0, ...undelivered.map((row) => age(row.oldest))),
    deliveries: rows.filter((row) => row.kind === 'delivery').map((row) => ({ endpointId: row.endpoint_id!, status: row.status!, count: row.n })),
  };
}
