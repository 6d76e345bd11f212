import { sql } from 'drizzle-orm';
import { EVENTS_CHANNEL } from '../../db/event-feed.ts';
import { outboxEvents } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';

/**
 * Writes an event to the outbox, in the caller's transaction: the change and its event
 * commit together or not at all. The NOTIFY is delivered at commit, to every instance.
 * Payloads stay small (ids and the facts of the change), well inside NOTIFY's 8 kB.
 */
export async function recordEvent(ctx: Ctx, type: EventType, subjectId: string, data: Record<string, unknown>): Promise<void> {
  const payload = { organisationId: ctx.actor.org, actor: ctx.actor.sub, ...data };
  const [event] = await ctx.db
    .insert(outboxEvents)
    .values({ orgId: ctx.actor.org, type, subjectId, payload, createdAt: ctx.clock() })
    .returning({ id: outboxEvents.id });
  const announcement = JSON.stringify({ id: event!.id, orgId: ctx.actor.org, type, subjectId, payload });
  await ctx.db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${announcement})`);
}
