import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { people, relationships, sessions } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { eventUid, type CalendarData, type CalendarEvent } from './calendar-data.ts';

const OPEN_GOALS = new Set(['draft', 'agreed']);

/**
 * What a person's calendar holds: the planned sessions of their active relationships (mentor or
 * mentee), and the due dates of those relationships' open goals, milestones not yet reached and
 * tasks not yet done, as all-day events. Read in the caller's organisation (ctx.actor.org).
 *
 * When the other party has left (inactive or erased) and the programme keeps the relationship
 * active (onPersonDeactivated: keep), its planned sessions leave the feed: they will not take place
 * with someone who has left, and the leaver's name and agendas leave the partner's calendar. Its
 * goals' due dates stay in the mentee's feed (the goals are the mentee's) and leave the mentor's.
 */
export async function personCalendar(ctx: Ctx, person: { id: string; name: string }): Promise<CalendarData> {
  const org = ctx.actor.org;
  const theirs = await ctx.db
    .select()
    .from(relationships)
    .where(and(eq(relationships.orgId, org), eq(relationships.status, 'active'), or(eq(relationships.mentorId, person.id), eq(relationships.menteeId, person.id))))
    .orderBy(asc(relationships.id));
  const ids = theirs.map((r) => r.id);
  if (ids.length === 0) return { name: `Mentoring: ${person.name}`, events: [] };
  const counterpartIds = theirs.map((r) => (r.mentorId === person.id ? r.menteeId : r.mentorId));
  const [planned, counterparts, goals] = await Promise.all([
    ctx.db.select().from(sessions).where(and(eq(sessions.orgId, org), inArray(sessions.relationshipId, ids), eq(sessions.status, 'planned'))).orderBy(asc(sessions.id)),
    ctx.db.select({ id: people.id, name: people.name, active: people.active }).from(people).where(and(eq(people.orgId, org), inArray(people.id, counterpartIds))),
    loadGoals(ctx, { relationshipIds: ids }),
  ]);
  const left = new Set(counterparts.filter((p) => !p.active).map((p) => p.id));
  const withPartner = new Set(theirs.filter((r) => !left.has(r.mentorId === person.id ? r.menteeId : r.mentorId)).map((r) => r.id));
  const mentees = new Set(theirs.filter((r) => r.menteeId === person.id).map((r) => r.id));
  const withWhom = (relationshipId: string) => {
    const r = theirs.find((rel) => rel.id === relationshipId)!;
    const other = counterparts.find((p) => p.id === (r.mentorId === person.id ? r.menteeId : r.mentorId));
    return `${r.mentorId === person.id ? 'mentee' : 'mentor'} ${other?.name ?? ''}`.trim();
  };
  const events: CalendarEvent[] = planned.filter((session) => withPartner.has(session.relationshipId)).map((session) => sessionEvent(session, withWhom(session.relationshipId)));
  for (const goal of goals.filter((g) => OPEN_GOALS.has(g.status) && (withPartner.has(g.relationshipId) || mentees.has(g.relationshipId)))) {
    const updatedAt = new Date(goal.updatedAt);
    if (goal.dueOn) events.push({ uid: eventUid('goal', goal.id), summary: `Goal due: ${goal.title}`, description: goal.outcome || null, day: goal.dueOn, updatedAt });
    for (const milestone of goal.milestones) {
      if (milestone.dueOn && !milestone.doneAt) events.push({ uid: eventUid('milestone', milestone.id), summary: `Milestone: ${milestone.title}`, description: `Goal: ${goal.title}`, day: milestone.dueOn, updatedAt });
    }
    for (const task of goal.tasks) {
      if (task.dueOn && !task.doneAt) events.push({ uid: eventUid('task', task.id), summary: `Task due: ${task.title}`, description: `Goal: ${goal.title}`, day: task.dueOn, updatedAt });
    }
  }
  return { name: `Mentoring: ${person.name}`, events };
}

/** One planned session as a timed event. */
export function sessionEvent(session: typeof sessions.$inferSelect, withWhom: string): CalendarEvent {
  const start = session.plannedAt ?? session.heldAt ?? session.createdAt;
  const minutes = session.plannedMinutes ?? session.minutes ?? 60;
  const kind = session.kind === 'discovery' ? 'Discovery call' : session.kind === 'closing' ? 'Closing session' : 'Mentoring session';
  return {
    uid: eventUid('session', session.id),
    summary: withWhom ? `${kind} with ${withWhom}` : kind,
    description: session.agenda,
    start,
    end: new Date(start.getTime() + minutes * 60_000),
    updatedAt: session.statusChangedAt ?? session.createdAt,
  };
}
