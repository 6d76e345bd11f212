import { and, eq, isNull } from 'drizzle-orm';
import { calendarFeeds, people } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { isUuid } from '../uuid.ts';

/** Revokes a person's calendar feed: its URL answers 404 from now on. Revoking none is not an error. */
export async function revokeCalendarFeed(ctx: Ctx, input: { personId: string }): Promise<{ revoked: number }> {
  authorize(ctx.actor, 'revokeCalendarFeed');
  if (!isUuid(input.personId)) throw notFound('person', input.personId);
  if (!seesWholeOrganisation(ctx.actor) && (await actorPersonId(ctx)) !== input.personId.toLowerCase()) throw notFound('person', input.personId);
  return withAudit(ctx, { action: 'revokeCalendarFeed', subjectType: 'person', subjectId: () => input.personId }, async (tx) => {
    const [person] = await tx.db.select({ id: people.id }).from(people).where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.personId)));
    if (!person) throw notFound('person', input.personId);
    const revoked = await tx.db
      .update(calendarFeeds)
      .set({ revokedAt: tx.clock() })
      .where(and(eq(calendarFeeds.orgId, tx.actor.org), eq(calendarFeeds.personId, person.id), isNull(calendarFeeds.revokedAt)))
      .returning({ id: calendarFeeds.id });
    return { revoked: revoked.length };
  });
}
