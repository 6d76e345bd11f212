import { authorize } from '../../domain/permissions.ts';
import { and, eq, gte, lte, ne } from 'drizzle-orm';
import { outboxEvents } from '../../db/schema.ts';
import { byId, readPage, selectAfter } from '../../domain/pagination.ts';
import { parseInput } from '../../domain/validate.ts';
import type { WebhookCtx } from '../context.ts';
import { ListEventsQuery, type EventPage } from '../schemas/event.ts';
import { EVENT_RETENTION_MS, TEST_EVENT_TYPE } from '../vocabulary.ts';
import { presentEvent } from './present-event.ts';

/**
 * Ids are taken at insert, not at commit, so an event may commit a moment after a later one: a
 * poller whose cursor had passed it would never see it. Events younger than this are held back
 * until every transaction that could have written before them has committed.
 */
export const POLL_SETTLE_MS = 2000;

/** The event log for integrators who poll instead of receiving webhooks: oldest first, the last 30 days. */
export async function listEvents(ctx: WebhookCtx, rawQuery: ListEventsQuery): Promise<EventPage> {
  authorize(ctx.actor, 'listEvents');
  const query = parseInput(ListEventsQuery, rawQuery);
  const now = ctx.clock().getTime();
  const e = outboxEvents;
  const where = and(
    eq(e.orgId, ctx.actor.org),
    query.type ? eq(e.type, query.type) : ne(e.type, TEST_EVENT_TYPE),
    gte(e.createdAt, new Date(now - EVENT_RETENTION_MS)),
    lte(e.createdAt, new Date(now - POLL_SETTLE_MS)),
  );
  const key = byId(e.id);
  const page = await readPage({ query, key, rows: selectAfter(ctx.db.select().from(e).$dynamic(), key, where) });
  return { items: page.rows.map(presentEvent), nextCursor: page.nextCursor, pollCursor: page.endCursor };
}
