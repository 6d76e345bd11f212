import { sql, type SQL } from 'drizzle-orm';

/*
 * Exact visibility of the outbox, for every reader that follows it (the fan-out to webhooks and
 * pollers of GET /v1/events). No timed grace: a rollback delays no one, and nothing is skipped.
 *
 * The problem: `seq` is taken at insert, not at commit, so a transaction may commit after one that
 * took a later seq. A reader that had passed the later seq would never see the earlier one.
 *
 * What we rely on (PostgreSQL's MVCC, the same on PGlite):
 *  1. Each event stores the id of the top-level transaction that wrote it (`xid`, the column
 *     default `pg_current_xact_id()`). It becomes visible, with every other row of that transaction,
 *     exactly when that id becomes visible in a reader's snapshot (`pg_visible_in_snapshot`): an id
 *     below the snapshot's xmin or between xmin and xmax and not running is settled; an aborted one
 *     leaves no rows. A rolled-back transaction is settled the moment it ends.
 *  2. Snapshots only grow: whatever a snapshot sees, every later snapshot sees.
 *  3. `pg_current_snapshot()` is the statement's own snapshot: the rows a statement reads are those
 *     of the snapshot it reports.
 *
 * So a reader's position is a snapshot S it has finished: it has read every event visible in S.
 * The next batch is what the next snapshot S' sees and S does not; (2) says S ⊆ S', and no event,
 * however late it commits, can be in S' without being in S or in that difference. The batch is read
 * in seq order (pages of it: `batch` = S', read up to `seq`), then S' becomes the position.
 *
 * Order: within a batch, by seq. Two writes to the same row are ordered by its lock: the second
 * inserts its event after the first has committed, so it has the later seq, and it is never
 * visible in a snapshot that does not see the first. So the events of one relationship arrive in the
 * order they happened. Across unrelated writes, the order is commit order at batch granularity.
 *
 * Unlike "read below the oldest running transaction" (pg_snapshot_xmin), a transaction left open
 * holds back only its own events: on a shared cluster the xmin is every database's oldest
 * transaction, and one idle-in-transaction session anywhere would stall every reader.
 */

/** Where a reader of the outbox stands. */
export interface FeedPosition {
  /** Every event visible in this snapshot (`pg_snapshot` text) has been read; null: none has. */
  snapshot: string | null;
  /** The batch being read: events visible in it and not in `snapshot`, read up to `seq` (null: none open; the next read opens one at its own snapshot). */
  batch: string | null;
  /** With a batch: the last seq read of it. Without (and without a snapshot): a reader of the seq-ordered log before this one, which had read up to it. */
  seq: number;
}

export const FEED_START: FeedPosition = { snapshot: null, batch: null, seq: 0 };

const SNAPSHOT = /^(\d{1,19}):(\d{1,19}):((?:\d{1,19})(?:,\d{1,19})*)?$/;

/** Whether a text is a `pg_snapshot` PostgreSQL accepts (xmin ≤ each running id < xmax, ascending): a cursor's snapshot is checked before it reaches SQL. */
export function isSnapshot(text: string): boolean {
  const match = SNAPSHOT.exec(text);
  if (!match) return false;
  const [xmin, xmax] = [BigInt(match[1]!), BigInt(match[2]!)];
  if (xmin > xmax) return false;
  let previous = xmin - 1n;
  for (const part of match[3]?.split(',') ?? []) {
    const xip = BigInt(part);
    if (xip <= previous || xip >= xmax) return false;
    previous = xip;
  }
  return true;
}

/** The events (alias `e` of outbox_events) a reader at `position` has not read and may read now. Order them by `e.seq`. */
export function unread(position: FeedPosition): SQL {
  const { snapshot, batch, seq } = position;
  const conditions: SQL[] = [sql`e.seq > ${seq}`];
  // Events written before the xid column existed have none: settled long ago, seen by any snapshot.
  if (snapshot !== null) conditions.push(sql`e.xid >= pg_snapshot_xmin(${snapshot}::pg_snapshot) and not pg_visible_in_snapshot(e.xid, ${snapshot}::pg_snapshot)`);
  if (batch !== null) conditions.push(sql`(e.xid is null or pg_visible_in_snapshot(e.xid, ${batch}::pg_snapshot))`);
  return sql.join(conditions, sql` and `);
}

/** `unread` for a position stored in a row `c` (columns seq, snapshot, batch: webhook_cursors'), read by the same statement. */
export const unreadFromRow = sql`e.seq > c.seq
  and (c.snapshot is null or (e.xid >= pg_snapshot_xmin(c.snapshot::pg_snapshot) and not pg_visible_in_snapshot(e.xid, c.snapshot::pg_snapshot)))
  and (c.batch is null or e.xid is null or pg_visible_in_snapshot(e.xid, c.batch::pg_snapshot))`;

/** The statement's snapshot, as text: select it in the same statement that reads the events (fact 3 above). */
export const statementSnapshot = sql`pg_current_snapshot()::text`;

/**
 * The position after a read at `position` whose statement saw snapshot `now`: `lastSeq` is the seq of
 * the last event handed on, and `more` whether the read stopped before the end of its batch.
 * `again` says whether events may already wait past the new position though the read was not full
 * (it closed a batch older than itself): read again at once rather than wait for a wake-up.
 */
export function advance(position: FeedPosition, now: string, lastSeq: number | null, more: boolean): { position: FeedPosition; again: boolean } {
  const batch = position.batch ?? now;
  if (more) return { position: { snapshot: position.snapshot, batch, seq: lastSeq ?? position.seq }, again: false };
  return { position: { snapshot: batch, batch: null, seq: 0 }, again: position.batch !== null };
}
