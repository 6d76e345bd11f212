import { authorize } from '../../domain/permissions.ts';
import { and, desc, eq, lte, sql } from 'drizzle-orm';
import { selectRows } from '../../db/client.ts';
import { isoFromTimestampText } from '../../db/iso-rows.ts';
import { outboxEvents } from '../../db/schema.ts';
import { idCursor, seqCursor, type CursorCodec } from '../../domain/pagination.ts';
import { invalid } from '../../domain/errors.ts';
import { parseInput } from '../../domain/validate.ts';
import type { WebhookCtx } from '../context.ts';
import type { OutboxEventRow } from '../message.ts';
import { ListEventsQuery, type EventPage } from '../schemas/event.ts';
import { advance, FEED_START, isSnapshot, statementSnapshot, unread, type FeedPosition } from '../visibility.ts';
import { EVENT_RETENTION_MS, TEST_EVENT_TYPE } from '../vocabulary.ts';
import { presentEvent } from './present-event.ts';

/**
 * The event log for integrators who poll instead of receiving webhooks: the last 30 days, what has
 * become visible since the poller's cursor, in seq order within each batch (the exact visibility of
 * `visibility.ts`, as the fan-out to webhooks): no event is ever behind a poller's cursor before it
 * was read, and no rollback holds anyone back.
 */
export async function listEvents(ctx: WebhookCtx, rawQuery: ListEventsQuery): Promise<EventPage> {
  authorize(ctx.actor, 'listEvents');
  const query = parseInput(ListEventsQuery, rawQuery);
  const now = ctx.clock();
  let position = query.cursor === undefined ? FEED_START : await positionOf(ctx, query.cursor);
  const items: EventPage['items'] = [];
  let more = false;
  // At most two reads: one that closes a batch older than itself, then one at its own snapshot.
  for (let read = 0; read < 2 && items.length < query.limit; read++) {
    const take = query.limit - items.length;
    const rows = await selectRows<RawEvent>(
      ctx.db,
      sql`select s.now as snapshot, e.* from (select ${statementSnapshot} as now) s left join lateral (
            select e.id, e.seq, e.org_id, e.type, e.subject_id, e.payload, e.created_at, e.traceparent from outbox_events e
            where e.org_id = ${ctx.actor.org} and ${query.type ? sql`e.type = ${query.type}` : sql`e.type <> ${TEST_EVENT_TYPE}`}
              and e.created_at >= ${new Date(now.getTime() - EVENT_RETENTION_MS).toISOString()}::timestamptz and ${unread(position)}
            order by e.seq limit ${take + 1}
          ) e on true order by e.seq`,
    );
    const events = rows.filter((row) => row.id !== null).map(toRow);
    const page = events.slice(0, take);
    items.push(...page.map(presentEvent));
    more = events.length > take;
    const next = advance(position, rows[0]!.snapshot, page.at(-1)?.seq ?? null, more);
    position = next.position;
    if (!next.again) break;
  }
  const cursor = feedCursor.encode(position);
  return { items, nextCursor: more ? cursor : null, pollCursor: cursor };
}

type RawEvent = { snapshot: string; id: string | null; seq: string | number; org_id: string; type: string; subject_id: string; payload: Record<string, unknown> | string; created_at: Date | string; traceparent: string | null };

const toRow = (raw: RawEvent): OutboxEventRow => ({
  id: raw.id!,
  seq: Number(raw.seq),
  xid: null,
  orgId: raw.org_id,
  type: raw.type,
  subjectId: raw.subject_id,
  payload: typeof raw.payload === 'string' ? (JSON.parse(raw.payload) as Record<string, unknown>) : raw.payload,
  createdAt: typeof raw.created_at === 'string' ? new Date(isoFromTimestampText(raw.created_at)) : raw.created_at,
  traceparent: raw.traceparent,
});

/** Cursors of the exact feed: the position, as `<snapshot>|<batch>|<seq>` (an empty part is null). */
const feedCursor: CursorCodec<FeedPosition> = (() => {
  const version = 'f1:';
  return {
    encode: ({ snapshot, batch, seq }) => Buffer.from(`${version}${snapshot ?? ''}|${batch ?? ''}|${seq}`).toString('base64url'),
    decode(cursor) {
      const text = Buffer.from(cursor, 'base64url').toString('utf8');
      const [snapshot, batch, seq, ...rest] = text.startsWith(version) ? text.slice(version.length).split('|') : [];
      const valid = rest.length === 0 && seq !== undefined && /^\d{1,15}$/.test(seq) && [snapshot, batch].every((part) => part === '' || (part !== undefined && isSnapshot(part)));
      if (!valid) throw invalid('The cursor is not one this API issued.', [{ path: 'query.cursor', message: 'is not a valid cursor' }]);
      return { snapshot: snapshot || null, batch: batch || null, seq: Number(seq) };
    },
  };
})();

/** A cursor's position; cursors of the seq-paged log (and of the id-paged one before it) resume after the event they name. */
async function positionOf(ctx: WebhookCtx, cursor: string): Promise<FeedPosition> {
  for (const decode of [feedCursor.decode, (c: string) => ({ ...FEED_START, seq: seqCursor.decode(c) })]) {
    try {
      return decode(cursor);
    } catch {
      // not this kind
    }
  }
  return { ...FEED_START, seq: await seqOfIdCursor(ctx, idCursor.decode(cursor)) };
}

/** Where a cursor of the id-paged log stood: the seq of the event it names (or the last before it). */
async function seqOfIdCursor(ctx: WebhookCtx, id: string): Promise<number> {
  const [row] = await ctx.db
    .select({ seq: outboxEvents.seq })
    .from(outboxEvents)
    .where(and(eq(outboxEvents.orgId, ctx.actor.org), lte(outboxEvents.id, id)))
    .orderBy(desc(outboxEvents.id))
    .limit(1);
  return row?.seq ?? 0;
}
