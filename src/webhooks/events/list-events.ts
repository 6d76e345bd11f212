import { authorize } from '../../domain/permissions.ts';
import { and, asc, eq, gte, lte, ne } from 'drizzle-orm';
import { outboxEvents } from '../../db/schema.ts';
import { afterCursor, encodeCursor } from '../../domain/pagination.ts';
import { iso } from '../../domain/present.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEvent, type WebhookCtx } from '../context.ts';
import type { OutboxEventRow } from '../message.ts';
import { ListEventsQuery, type EventMessage, type EventPage } from '../schemas/event.ts';
import { EVENT_RETENTION_MS, TEST_EVENT_TYPE } from '../vocabulary.ts';

/**
 * Ids are taken at insert, not at commit, so an event may commit a moment after a later one: a
 * poller whose cursor had passed it would never see it. Events younger than this are held back
 * until every transaction that could have written before them has committed.
 */
export const POLL_SETTLE_MS = 2000;

const present = (row: OutboxEventRow): EventMessage => ({ id: row.id, type: row.type, timestamp: iso(row.createdAt), subjectId: row.subjectId, data: row.payload });

/** The event log for integrators who poll instead of receiving webhooks: oldest first, the last 30 days. */
export async function listEvents(ctx: WebhookCtx, rawQuery: ListEventsQuery): Promise<EventPage> {
  authorize(ctx.actor, 'listEvents');
  const query = parseInput(ListEventsQuery, rawQuery);
  const now = ctx.clock().getTime();
  const e = outboxEvents;
  const rows = await ctx.db
    .select()
    .from(e)
    .where(
      and(
        eq(e.orgId, ctx.actor.org),
        query.type ? eq(e.type, query.type) : ne(e.type, TEST_EVENT_TYPE),
        gte(e.createdAt, new Date(now - EVENT_RETENTION_MS)),
        lte(e.createdAt, new Date(now - POLL_SETTLE_MS)),
        afterCursor(e.id, query.cursor),
      ),
    )
    .orderBy(asc(e.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  return {
    items: items.map(present),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
    pollCursor: last ? encodeCursor(last.id) : (query.cursor ?? null),
  };
}

export async function getEvent(ctx: WebhookCtx, input: { id: string }): Promise<EventMessage> {
  authorize(ctx.actor, 'getEvent');
  return present(await loadEvent(ctx, input.id));
}
