import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { metricReadings, outboxEvents, people, programmes, reflections, relationships, sessions, stageHistory } from '../../db/schema.ts';
import { presentReflection } from '../activity/present-reflection.ts';
import { presentSession } from '../activity/present-session.ts';
import { actorPersonId, seesWholeOrganisation } from '../access.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import { presentReading } from '../progress/present-reading.ts';
import { presentHistory } from '../relationships/present-history.ts';
import { presentRelationship } from '../relationships/present-relationship.ts';
import type { PersonalDataExport } from '../schemas/personal-data.ts';
import { isUuid } from '../uuid.ts';
import { presentPerson } from './present-person.ts';

/**
 * Everything Tandem holds about a person (GDPR art. 15 and 20): organisation roles export anyone,
 * a member only themselves. Audited and announced (`person.exported`), though it changes nothing.
 */
export async function exportPersonalData(ctx: Ctx, input: { id: string }): Promise<PersonalDataExport> {
  authorize(ctx.actor, 'exportPersonalData');
  if (!isUuid(input.id)) throw notFound('person', input.id);
  if (!seesWholeOrganisation(ctx.actor) && (await actorPersonId(ctx)) !== input.id.toLowerCase()) throw notFound('person', input.id);
  return withAudit(ctx, { action: 'exportPersonalData', subjectType: 'person', subjectId: () => input.id }, async (tx) => {
    const org = tx.actor.org;
    const [person] = await tx.db.select().from(people).where(and(eq(people.orgId, org), eq(people.id, input.id)));
    if (!person) throw notFound('person', input.id);
    const theirs = await tx.db
      .select({ relationship: relationships, programmeName: programmes.name })
      .from(relationships)
      .innerJoin(programmes, eq(programmes.id, relationships.programmeId))
      .where(and(eq(relationships.orgId, org), or(eq(relationships.mentorId, person.id), eq(relationships.menteeId, person.id))))
      .orderBy(asc(relationships.id));
    const ids = theirs.map((r) => r.relationship.id);
    const [history, goals, sessionRows, reflectionRows] = await Promise.all([
      ids.length ? tx.db.select().from(stageHistory).where(and(eq(stageHistory.orgId, org), inArray(stageHistory.relationshipId, ids))).orderBy(asc(stageHistory.relationshipId), asc(stageHistory.version)) : [],
      loadGoals(tx, { relationshipIds: ids }),
      ids.length ? tx.db.select().from(sessions).where(and(eq(sessions.orgId, org), inArray(sessions.relationshipId, ids))).orderBy(asc(sessions.id)) : [],
      tx.db.select().from(reflections).where(and(eq(reflections.orgId, org), eq(reflections.authorId, person.id))).orderBy(asc(reflections.id)),
    ]);
    const goalIds = goals.map((goal) => goal.id);
    const readings = goalIds.length
      ? await tx.db.select().from(metricReadings).where(and(eq(metricReadings.orgId, org), inArray(metricReadings.goalId, goalIds))).orderBy(asc(metricReadings.id))
      : [];
    const subjects = [person.id, ...(person.externalId ? [person.externalId] : [])];
    const events = await tx.db
      .select()
      .from(outboxEvents)
      .where(
        and(
          eq(outboxEvents.orgId, org),
          or(eq(outboxEvents.subjectId, person.id), sql`${outboxEvents.payload}->>'actor' in (${sql.join(subjects.map((s) => sql`${s}`), sql`, `)})`),
        ),
      )
      .orderBy(asc(outboxEvents.seq));
    await recordEvent(tx, 'person.exported', person.id, { personId: person.id });
    return {
      format: 'tandem.person-export.v1' as const,
      exportedAt: iso(tx.clock()),
      person: presentPerson(person),
      directory: person.directory,
      relationships: theirs.map(({ relationship, programmeName }) => ({
        ...presentRelationship(relationship),
        role: relationship.mentorId === person.id ? ('mentor' as const) : ('mentee' as const),
        programmeName,
        history: history.filter((h) => h.relationshipId === relationship.id).map(presentHistory),
      })),
      goals,
      metricReadings: readings.map(presentReading),
      sessions: sessionRows.map(presentSession),
      reflections: reflectionRows.map(presentReflection),
      events: events.map((event) => ({ id: event.id, type: event.type, subjectId: event.subjectId, createdAt: iso(event.createdAt), data: event.payload })),
    };
  });
}
