import { and, eq, inArray, isNotNull, like, sql } from 'drizzle-orm';
import { auditEvents, idempotencyKeys, metricReadings, outboxEvents, people, reflections, relationships, sessions, stageHistory, tasks } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import type { ErasureResult } from '../schemas/personal-data.ts';
import { isUuid } from '../uuid.ts';
import { eraseAchievementActs } from './erase-achievement-acts.ts';
import { ERASED_NAME, ERASED_TEXT } from './erased.ts';
import { leaveRelationships } from './leave-relationships.ts';
import { revokeBearerCapabilities } from './revoke-bearer-capabilities.ts';

/** Keys of event payloads that carry free text the caller wrote. */
const FREE_TEXT_IN_EVENTS = ['reason', 'note', 'declineReason', 'hopes', 'challenges'] as const;

/**
 * Replaces a person's personal data with tombstones (GDPR art. 17) and keeps what reports count:
 * ids, relationships, stage history, goals and aggregates. Erased: their name, email, identifiers
 * (externalId, userName, employee number, manager), directory attributes and profile; the free text
 * they wrote (reflections, a mentee's aspiration, hopes and challenges, acceptance notes, the notes and agenda of sessions they logged,
 * notes on tasks they completed and readings they recorded, reasons they gave in history and events); and where their HRIS id stood for them as an actor
 * (history, sessions, audit, events) their Tandem id stands instead, so nothing re-identifies them. Their
 * calendar feeds are revoked (the URL answers 404). Replayable responses that named them (Idempotency-Key) are
 * dropped. They are de-provisioned too:
 * their active relationships follow each programme's onPersonDeactivated. Erasing twice is harmless.
 */
export async function erasePersonalData(ctx: Ctx, input: { id: string }): Promise<ErasureResult> {
  authorize(ctx.actor, 'erasePersonalData');
  if (!isUuid(input.id)) throw notFound('person', input.id);
  return withAudit(ctx, { action: 'erasePersonalData', subjectType: 'person', subjectId: (result) => result.personId }, async (tx) => {
    const org = tx.actor.org;
    const [person] = await tx.db.select().from(people).where(and(eq(people.orgId, org), eq(people.id, input.id))).for('update');
    if (!person) throw notFound('person', input.id);
    const departure = person.active ? await leaveRelationships(tx, person.id) : { withdrawn: [], kept: [] };
    const now = tx.clock();
    // The subjects their tokens carried: their Tandem id, or their HRIS id.
    const subjects = [person.id, ...(person.externalId ? [person.externalId] : [])];
    const hrisId = person.externalId;

    await tx.db
      .update(people)
      .set({
        name: ERASED_NAME,
        email: null,
        externalId: null,
        userName: null,
        timezone: 'UTC',
        skills: [],
        qualifications: [],
        experienceSummary: null,
        experienceYears: null,
        grade: null,
        location: null,
        aspiration: null,
        goalFocus: null,
        preferredMentorIds: [],
        locale: null,
        employeeNumber: null,
        department: null,
        organization: null,
        managerId: null,
        directory: {},
        active: false,
        deactivatedAt: person.deactivatedAt ?? now,
        erasedAt: now,
        updatedAt: now,
        version: sql`${people.version} + 1`,
      })
      .where(and(eq(people.orgId, org), eq(people.id, person.id)));
    // Their free text. The relationship's version stays: no move was made, and each version has
    // its one history row.
    await tx.db
      .update(reflections)
      .set({ text: ERASED_TEXT, whatWorked: null, whatDidNot: null, howBenefited: null })
      .where(and(eq(reflections.orgId, org), eq(reflections.authorId, person.id)));
    await tx.db
      .update(relationships)
      .set({ aspiration: ERASED_TEXT })
      .where(and(eq(relationships.orgId, org), eq(relationships.menteeId, person.id), isNotNull(relationships.aspiration)));
    await tx.db
      .update(relationships)
      .set({
        hopes: sql`case when ${relationships.hopes} is null then null else ${ERASED_TEXT} end`,
        challenges: sql`case when ${relationships.challenges} is null then null else ${ERASED_TEXT} end`,
        menteeAcceptanceNote: sql`case when ${relationships.menteeAcceptanceNote} is null then null else ${ERASED_TEXT} end`,
      })
      .where(and(eq(relationships.orgId, org), eq(relationships.menteeId, person.id)));
    await tx.db
      .update(relationships)
      .set({ mentorAcceptanceNote: ERASED_TEXT })
      .where(and(eq(relationships.orgId, org), eq(relationships.mentorId, person.id), isNotNull(relationships.mentorAcceptanceNote)));
    // Their calendar feeds stop answering: a feed URL would otherwise keep publishing their sessions.
    await revokeBearerCapabilities(tx, person.id);
    await tx.db
      .update(sessions)
      .set({ notes: null, agenda: null })
      .where(and(eq(sessions.orgId, org), inArray(sessions.loggedBy, subjects)));
    await tx.db
      .update(sessions)
      .set({ reason: ERASED_TEXT })
      .where(and(eq(sessions.orgId, org), inArray(sessions.statusChangedBy, subjects), isNotNull(sessions.reason)));
    await tx.db
      .update(tasks)
      .set({ doneNote: ERASED_TEXT })
      .where(and(eq(tasks.orgId, org), inArray(tasks.doneBy, subjects), isNotNull(tasks.doneNote)));
    await tx.db
      .update(metricReadings)
      .set({ note: ERASED_TEXT })
      .where(and(eq(metricReadings.orgId, org), inArray(metricReadings.recordedBy, subjects), isNotNull(metricReadings.note)));
    await tx.db
      .update(stageHistory)
      .set({ reason: ERASED_TEXT })
      .where(and(eq(stageHistory.orgId, org), inArray(stageHistory.actor, subjects), isNotNull(stageHistory.reason)));
    // The free text of the events they caused (a reason, a note) goes too: webhooks and pollers read the outbox.
    for (const key of FREE_TEXT_IN_EVENTS) {
      await tx.db.execute(sql`
        update ${outboxEvents} set payload = jsonb_set(payload, ${`{${key}}`}::text[], to_jsonb(${ERASED_TEXT}::text))
        where ${outboxEvents.orgId} = ${org} and payload->>'actor' in (${sql.join(subjects.map((s) => sql`${s}`), sql`, `)}) and payload->>${key} is not null`);
    }
    // The name and HR id self-contained events carry of them (docs/events.md), in every role.
    for (const role of ['mentor', 'mentee'] as const) {
      await tx.db.execute(sql`
        update ${outboxEvents} set payload = jsonb_set(payload, ${`{${role}}`}::text[], (payload->${sql.raw(`'${role}'`)}) || jsonb_build_object('name', ${ERASED_NAME}::text, 'externalId', null))
        where ${outboxEvents.orgId} = ${org} and payload->${sql.raw(`'${role}'`)}->>'id' = ${person.id}`);
    }
    await tx.db.execute(sql`
      update ${outboxEvents} set payload = payload || jsonb_build_object('externalId', null)
      where ${outboxEvents.orgId} = ${org} and payload->>'personId' = ${person.id} and payload ? 'externalId'`);
    if (hrisId) {
      await tx.db.update(stageHistory).set({ actor: person.id }).where(and(eq(stageHistory.orgId, org), eq(stageHistory.actor, hrisId)));
      await tx.db.update(sessions).set({ loggedBy: person.id }).where(and(eq(sessions.orgId, org), eq(sessions.loggedBy, hrisId)));
      await tx.db.update(sessions).set({ statusChangedBy: person.id }).where(and(eq(sessions.orgId, org), eq(sessions.statusChangedBy, hrisId)));
      await tx.db.update(tasks).set({ doneBy: person.id }).where(and(eq(tasks.orgId, org), eq(tasks.doneBy, hrisId)));
      await tx.db.update(metricReadings).set({ recordedBy: person.id }).where(and(eq(metricReadings.orgId, org), eq(metricReadings.recordedBy, hrisId)));
      await tx.db.update(auditEvents).set({ actor: person.id }).where(and(eq(auditEvents.orgId, org), eq(auditEvents.actor, hrisId)));
      await tx.db.execute(sql`
        update ${outboxEvents} set payload = jsonb_set(payload, '{actor}', to_jsonb(${person.id}::text))
        where ${outboxEvents.orgId} = ${org} and payload->>'actor' = ${hrisId}`);
    }
    await eraseAchievementActs(tx, { id: person.id, subjects, hrisId });
    await tx.db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.orgId, org), like(idempotencyKeys.responseBody, `%${person.id}%`)));
    await recordEvent(tx, 'person.erased', person.id, { personId: person.id });
    return { personId: person.id, erasedAt: iso(now), ...departure };
  });
}
