import { and, eq, isNull } from 'drizzle-orm';
import { calendarFeeds, people } from '../../db/schema.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import type { CalendarFeed } from '../schemas/calendar.ts';
import { isUuid } from '../uuid.ts';
import { feedPath, hashFeedSecret, newFeedSecret } from './feed-secret.ts';

/**
 * A person's calendar feed at a new secret URL; the feed they had is revoked (so this also rotates
 * it). Organisation roles make anyone's; a member only their own. The secret is shown once. A person
 * who has left (inactive) gets none: their feeds were revoked when they left, and stay so until
 * they are reactivated.
 */
export async function createCalendarFeed(ctx: Ctx, input: { personId: string }): Promise<CalendarFeed> {
  authorize(ctx.actor, 'createCalendarFeed');
  if (!isUuid(input.personId)) throw notFound('person', input.personId);
  if (!seesWholeOrganisation(ctx.actor) && (await actorPersonId(ctx)) !== input.personId.toLowerCase()) throw notFound('person', input.personId);
  return withAudit(ctx, { action: 'createCalendarFeed', subjectType: 'person', subjectId: () => input.personId }, async (tx) => {
    const [person] = await tx.db.select({ id: people.id, active: people.active }).from(people).where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.personId))).for('update');
    if (!person) throw notFound('person', input.personId);
    if (!person.active) throw conflict('This person has left (inactive): a calendar feed is made only for an active person.', { reason: 'PERSON_INACTIVE' });
    const now = tx.clock();
    await tx.db
      .update(calendarFeeds)
      .set({ revokedAt: now })
      .where(and(eq(calendarFeeds.orgId, tx.actor.org), eq(calendarFeeds.personId, person.id), isNull(calendarFeeds.revokedAt)));
    const secret = newFeedSecret();
    const [feed] = await tx.db
      .insert(calendarFeeds)
      .values({ orgId: tx.actor.org, personId: person.id, secretHash: hashFeedSecret(secret), createdBy: tx.actor.sub, createdAt: now })
      .returning();
    return { id: feed!.id, personId: person.id, secret, url: feedPath(secret), createdAt: iso(feed!.createdAt) };
  });
}
