import { sql, type SQL } from 'drizzle-orm';

/**
 * The gap rule, for every reader of the outbox by `seq` (the fan-out to webhooks, and pollers of
 * `GET /v1/events`). `seq` is taken at insert, not at commit: a transaction that took seq 10 may
 * commit after the one that took 11. A reader that passed 11 would never see 10. So a reader stops
 * before a gap in seq until it is filled, or until the event after it is this old: by then the
 * missing seq belongs to a transaction that rolled back.
 */
export const GAP_GRACE_MS = 60_000;

/** Whether a gap may still fill: the event after it was created less than the grace ago. */
export const gapMayFill = (graceFromMs: number, nowMs: number): boolean => nowMs - graceFromMs < GAP_GRACE_MS;

/**
 * The rule in SQL, for a reader that keeps no memory between reads: the lowest seq above `after`
 * that stands right after a gap which may still fill (null when none does). A reader reads below
 * it. Only events younger than the grace can stand after such a gap, so the created_at index
 * finds them, and the unique seq index answers each "is the seq before it there?".
 */
export const seqBeforeOpenGap = (after: number, now: Date): SQL =>
  sql`(select min(e.seq) from outbox_events e
       where e.seq > ${after} + 1 and e.created_at > ${new Date(now.getTime() - GAP_GRACE_MS).toISOString()}::timestamptz
         and not exists (select 1 from outbox_events p where p.seq = e.seq - 1))`;
