import { and, eq } from 'drizzle-orm';
import { people } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { loadScopedSession, type SessionIds } from '../sessions/scoped-session.ts';
import type { CalendarData } from './calendar-data.ts';
import { sessionEvent } from './person-calendar.ts';

/** One session as a calendar of one event (an .ics to add to any calendar app). */
export async function getSessionCalendar(ctx: Ctx, input: SessionIds): Promise<CalendarData> {
  authorize(ctx.actor, 'getSessionCalendar');
  const { relationship, session } = await loadScopedSession(ctx, input);
  const pair = await ctx.db
    .select({ id: people.id, name: people.name })
    .from(people)
    .where(and(eq(people.orgId, ctx.actor.org), eq(people.id, relationship.row.mentorId)))
    .union(ctx.db.select({ id: people.id, name: people.name }).from(people).where(and(eq(people.orgId, ctx.actor.org), eq(people.id, relationship.row.menteeId))));
  const name = (id: string) => pair.find((p) => p.id === id)?.name ?? '';
  const withWhom = `${name(relationship.row.mentorId)} and ${name(relationship.row.menteeId)}`;
  return { name: 'Mentoring session', events: [sessionEvent(session, withWhom)] };
}
