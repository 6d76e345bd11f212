import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_CHANNEL } from '../../db/event-feed.ts';
import { compiledByShape } from '../../db/compiled.ts';
import { outboxEvents } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';

export interface NewEvent {
  type: EventType;
  subjectId: string;
  data: Record<string, unknown>;
}

/**
 * Writes events to the outbox, in the caller's transaction: the change and its events commit
 * together or not at all, in the given order (one INSERT, so `seq` follows it). The NOTIFY is
 * delivered at commit, to every instance. The ids are made here, so the INSERT and the NOTIFY
 * go out together: one round trip. Payloads stay small (ids and the facts of the change), well
 * inside NOTIFY's 8 kB.
 */
export async function recordEvents(ctx: Ctx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const createdAt = ctx.clock();
  const traceparent = currentTraceparent();
  const rows = events.map(({ type, subjectId, data }) => ({
    id: uuidv7(),
    orgId: ctx.actor.org,
    type,
    subjectId,
    payload: { organisationId: ctx.actor.org, actor: ctx.actor.sub, ...data },
    createdAt,
    traceparent,
  }));
  const announcements = rows.map(({ id, orgId, type, subjectId, payload }) => sql`pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ id, orgId, type, subjectId, payload })})`);
  const values = Object.fromEntries(rows.flatMap((row, i) => EVENT_COLUMNS.map((column) => [`${column}${i}`, row[column]])));
  await Promise.all([insertEvents(ctx.db, String(rows.length), values), ctx.db.execute(sql`select ${sql.join(announcements, sql`, `)}`)]);
}

const EVENT_COLUMNS = ['id', 'orgId', 'type', 'subjectId', 'payload', 'createdAt', 'traceparent'] as const;

/** The active trace context in W3C form (`00-<trace>-<span>-<flags>`), or null when no trace is recording. */
export function currentTraceparent(): string | null {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}
// One compiled INSERT per number of events in a change (one, or two when a move also ends it).
const insertEvents = compiledByShape((db, count) =>
  db.insert(outboxEvents).values(
    Array.from({ length: Number(count) }, (_, i) => Object.fromEntries(EVENT_COLUMNS.map((column) => [column, sql.placeholder(`${column}${i}`)])) as never),
  ),
);

export const recordEvent = (ctx: Ctx, type: EventType, subjectId: string, data: Record<string, unknown>): Promise<void> =>
  recordEvents(ctx, [{ type, subjectId, data }]);
