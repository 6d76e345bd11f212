import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { calendarFeeds, people } from '../../db/schema.ts';
import type { Clock } from '../context.ts';
import { notFound } from '../errors.ts';
import type { CalendarData } from './calendar-data.ts';
import { FEED_SECRET_PATTERN, hashFeedSecret } from './feed-secret.ts';
import { personCalendar } from './person-calendar.ts';

/**
 * A calendar feed, found by the secret in its URL alone (calendar apps send no token): the secret
 * names the person and their organisation. An unknown or revoked secret is 404, the same answer
 * either way, and so is the feed of a person who has left (inactive or erased) should a live secret
 * remain. It runs before there is a caller, like the client-credentials exchange.
 */
export async function readCalendarFeed(deps: { db: Database; clock: Clock }, input: { secret: string }): Promise<CalendarData> {
  if (!FEED_SECRET_PATTERN.test(input.secret)) throw notFound('calendar feed');
  const [feed] = await deps.db
    .select({ orgId: calendarFeeds.orgId, personId: calendarFeeds.personId, name: people.name })
    .from(calendarFeeds)
    .innerJoin(people, and(eq(people.id, calendarFeeds.personId), eq(people.orgId, calendarFeeds.orgId), eq(people.active, true)))
    .where(and(eq(calendarFeeds.secretHash, hashFeedSecret(input.secret)), isNull(calendarFeeds.revokedAt)));
  if (!feed) throw notFound('calendar feed');
  const ctx = { db: deps.db, clock: deps.clock, actor: { org: feed.orgId, sub: `calendar-feed:${feed.personId}`, roles: ['member' as const] } };
  return personCalendar(ctx, { id: feed.personId, name: feed.name });
}
