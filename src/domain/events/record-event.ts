import { outboxEvents } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';

/**
 * Writes an event to the outbox, in the caller's transaction: the change and its event
 * commit together or not at all. Payloads stay small: ids and the facts of the change.
 */
export async function recordEvent(ctx: Ctx, type: EventType, subjectId: string, data: Record<string, unknown>): Promise<void> {
  await ctx.db.insert(outboxEvents).values({
    orgId: ctx.actor.org,
    type,
    subjectId,
    payload: { organisationId: ctx.actor.org, actor: ctx.actor.sub, ...data },
    createdAt: ctx.clock(),
  });
}
