import { authorize } from '../../domain/permissions.ts';
import { and, asc, desc, eq, gt, gte, lte, ne, sql } from 'drizzle-orm';
import { outboxEvents } from '../../db/schema.ts';
import { evolvedCodec, idCursor, readPage, seqCursor, type EvolvedKey, type PageKey } from '../../domain/pagination.ts';
import { parseInput } from '../../domain/validate.ts';
import type { WebhookCtx } from '../context.ts';
import type { OutboxEventRow } from '../message.ts';
import { ListEventsQuery, type EventPage } from '../schemas/event.ts';
import { seqBeforeOpenGap } from '../seq-gaps.ts';
import { EVENT_RETENTION_MS, TEST_EVENT_TYPE } from '../vocabulary.ts';
import { presentEvent } from './present-event.ts';

type EventKey = EvolvedKey<number, string>;

/** Pollers page by seq; cursors issued when the log paged by id still resume where they were. */
const bySeq: PageKey<OutboxEventRow, EventKey> = { column: outboxEvents.seq, codec: evolvedCodec(seqCursor, idCursor), of: (row) => ({ key: row.seq }) };

/**
 * The event log for integrators who poll instead of receiving webhooks: oldest first (by seq), the
 * last 30 days. A page stops before a gap in seq that may still fill (the gap rule of
 * `seq-gaps.ts`, as the fan-out to webhooks): an event that commits after a later one is never
 * behind a poller's cursor.
 */
export async function listEvents(ctx: WebhookCtx, rawQuery: ListEventsQuery): Promise<EventPage> {
  authorize(ctx.actor, 'listEvents');
  const query = parseInput(ListEventsQuery, rawQuery);
  const now = ctx.clock();
  const e = outboxEvents;
  const where = and(
    eq(e.orgId, ctx.actor.org),
    query.type ? eq(e.type, query.type) : ne(e.type, TEST_EVENT_TYPE),
    gte(e.createdAt, new Date(now.getTime() - EVENT_RETENTION_MS)),
  );
  const rows = async (after: EventKey | undefined, take: number) => {
    const from = after === undefined ? 0 : 'key' in after ? after.key : await seqOfIdCursor(ctx, after.earlier);
    return ctx.db
      .select()
      .from(e)
      .where(and(where, gt(e.seq, from), sql`coalesce(${e.seq} < ${seqBeforeOpenGap(from, now)}, true)`))
      .orderBy(asc(e.seq))
      .limit(take);
  };
  const page = await readPage({ query, key: bySeq, rows });
  return { items: page.rows.map(presentEvent), nextCursor: page.nextCursor, pollCursor: page.endCursor };
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
