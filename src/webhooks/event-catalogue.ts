import { z } from 'zod';
import {
  ACHIEVEMENT_BASES,
  END_STATUSES,
  EVENT_TYPES,
  GOAL_FOCUSES,
  GOAL_STATUSES,
  GOAL_TERMS,
  MOVE_DIRECTIONS,
  PARTIES,
  PROGRAMME_END_POLICIES,
  REFLECTION_KINDS,
  RELATIONSHIP_STATUSES,
  SESSION_KINDS,
  SESSION_STATUSES,
  type EventType,
} from '../vocabulary.ts';
import { TEST_EVENT_TYPE } from './vocabulary.ts';

// What the `data` of each event type carries, as the domain writes it (src/domain/**/record-event
// callers). Objects are loose: fields may be added, never removed or renamed, within v1.
const base = { organisationId: z.string(), actor: z.string().meta({ description: 'The `sub` of the caller who made the change.' }) };
const id = () => z.uuid();
const version = z.number().int().min(1).meta({ description: "The relationship's version after the change: drop any event older than the version you hold." });
const round = z.number().int().min(1);

// Every event of a relationship (its data has relationshipId) names who and what it is about, as
// the writing transaction saw them (src/domain/events/record-event.ts adds these fields), so a
// receiver never calls back to learn it. Personal data: see docs/events.md.
const party = (role: string) =>
  z.looseObject({
    id: id(),
    externalId: z.string().nullable().meta({ description: `The ${role}'s id in the HR system (externalId), or null when none was given.` }),
    name: z.string().optional().meta({ description: `The ${role}'s name (personal data). Absent for webhook endpoints with includeNames false.` }),
  });
const relationshipContext = {
  mentor: party('mentor'),
  mentee: party('mentee'),
  programme: z.looseObject({ id: id(), name: z.string() }),
  stageModel: z.string().meta({ description: "The key of the programme's stage model (classic-4, five-stage, or a custom model's)." }),
};
/** Every person event names the person by their HR id too. */
const personContext = { externalId: z.string().nullable().meta({ description: "The person's id in the HR system, or null when none was given (or the person is gone)." }) };

const stageChange = z.looseObject({
  ...base,
  relationshipId: id(),
  programmeId: id(),
  from: z.string(),
  to: z.string().meta({ description: 'The requested target: a stage, or an end status.' }),
  stage: z.string(),
  status: z.enum(RELATIONSHIP_STATUSES),
  reason: z.string().nullable(),
  override: z.boolean(),
  round: round.meta({ description: "The relationship's round after the move: 1, plus one for each loop back so far (this one included)." }),
  version,
  direction: z.enum(MOVE_DIRECTIONS).meta({ description: "forward: on through the model's stages; back: a loop to an earlier stage (it opens a new round); exit: to an end status." }),
});
const ended = stageChange.extend({ status: z.enum(END_STATUSES), referralMentorId: id().optional() });
const declined = ended.extend({
  declineReason: z.string().nullable().meta({ description: 'Why it was declined (the move\'s reason; `expired` for a stale invitation), or null.' }),
  referredToId: id().optional().meta({ description: 'The relationship the referral opened (openReferral), in its first stage.' }),
});
const atVersion = z
  .number()
  .int()
  .min(1)
  .meta({ description: "The relationship's version when it happened (goal, task, metric, session and reflection changes leave it as it is)." });
const goal = z.looseObject({ ...base, relationshipId: id(), goalId: id(), title: z.string(), version: atVersion });
const partyAct = z.looseObject({ party: z.enum(PARTIES), actor: z.string(), at: z.string(), onBehalf: z.boolean() });
const achievement = goal.extend({
  basis: z.enum(ACHIEVEMENT_BASES).meta({ description: 'evidence: every metric at or past its target, or every milestone done; reason: achievedDespite was given.' }),
  reason: z.string().nullable(),
  marked: partyAct,
  confirmed: partyAct.nullable(),
});
const task = goal.extend({ taskId: id(), taskTitle: z.string() });
const session = z.looseObject({
  ...base,
  relationshipId: id(),
  sessionId: id(),
  kind: z.enum(SESSION_KINDS),
  status: z.enum(SESSION_STATUSES),
  version: version.meta({ description: "The relationship's version when the session changed (sessions do not change it)." }),
});

interface CatalogueEntry {
  description: string;
  data: z.ZodType;
}

const CATALOGUE: Record<EventType | typeof TEST_EVENT_TYPE, CatalogueEntry> = {
  'relationship.opened': {
    description: 'A mentor and a mentee were paired in a programme; the relationship starts in its first stage.',
    data: z.looseObject({ ...base, relationshipId: id(), programmeId: id(), mentorId: id(), menteeId: id(), stage: z.string(), version, referredFromId: id().optional().meta({ description: 'The declined relationship whose referral opened it.' }) }),
  },
  'relationship.stage_changed': { description: 'A relationship moved: to another stage, or to an end status.', data: stageChange },
  'relationship.completed': { description: 'A relationship completed (sent with its relationship.stage_changed).', data: ended },
  'relationship.declined': { description: 'A relationship was declined in its first stage, with its reason if one was given, perhaps with a referral.', data: declined },
  'relationship.withdrawn': { description: 'A relationship was withdrawn, with a reason.', data: ended },
  'relationship.accepted': {
    description: 'The mentor or the mentee said the fit is right, perhaps with a note.',
    data: z.looseObject({ ...base, relationshipId: id(), party: z.enum(PARTIES), note: z.string().nullable(), bothAccepted: z.boolean(), version }),
  },
  'relationship.agreement_set': {
    description: 'The agreement was set or changed: boundaries, and the meeting rhythm (an RFC 5545 RRULE in a time zone) with the next session it expects.',
    data: z.looseObject({
      ...base,
      relationshipId: id(),
      rhythm: z.looseObject({ rrule: z.string(), timeZone: z.string(), startsAt: z.string(), minutes: z.number().int() }).nullable(),
      nextExpectedAt: z.string().nullable(),
      version,
    }),
  },
  'relationship.rapport_set': {
    description: "The mentee's hopes and challenges (the rapport stage of the five-stage model) were set or changed.",
    data: z.looseObject({ ...base, relationshipId: id(), hopes: z.string().nullable(), challenges: z.string().nullable(), version }),
  },
  'goal.agreed': {
    description: 'Both parties agreed a goal that passes the SMART check, in the relationship\'s current round.',
    data: goal.extend({ round: round.meta({ description: 'The round the goal was agreed in.' }) }),
  },
  'goal.achieved': { description: 'A goal was achieved: one party marked it (on its evidence or with a reason) and the other confirmed.', data: achievement },
  'goal.achievement_marked': {
    description: 'One party marked a goal achieved, on its evidence or with a reason; it waits for the other party to confirm.',
    data: achievement,
  },
  'goal.dropped': { description: 'A goal was dropped, with a reason.', data: goal.extend({ reason: z.string() }) },
  'milestone.completed': { description: 'A milestone of a goal was done: a little win.', data: goal.extend({ milestoneId: id(), title: z.string() }) },
  'goal.drafted': {
    description: 'A goal was drafted, with its metrics, milestones and tasks.',
    data: goal.extend({ focus: z.enum(GOAL_FOCUSES), dueOn: z.string().nullable(), parentGoalId: id().nullable().meta({ description: 'The goal it feeds into, or null.' }) }),
  },
  'goal.updated': {
    description: 'A goal was edited. `reopenedAgreement` names the agreed terms whose change sent an agreed goal back to draft (empty when it stayed as it was).',
    data: goal.extend({ status: z.enum(GOAL_STATUSES), changed: z.array(z.string()), reopenedAgreement: z.array(z.enum(GOAL_TERMS)) }),
  },
  'task.completed': {
    description: "A task of a goal's action plan was done.",
    data: task.extend({ doneAt: z.string(), note: z.string().nullable() }),
  },
  'task.reopened': { description: 'A task marked done was opened again.', data: task.extend({ wasDoneAt: z.string(), note: z.string().nullable() }) },
  'metric.recorded': {
    description: "A reading of a goal's metric was recorded (a KPI check-in), with the metric's current value and progress after it.",
    data: goal.extend({
      metricId: id(),
      metricName: z.string(),
      readingId: id(),
      value: z.number(),
      at: z.string(),
      currentValue: z.number().nullable(),
      progress: z.number().nullable(),
    }),
  },
  'session.logged': {
    description: 'A session between the pair was logged after the fact, as held.',
    data: session.extend({ heldAt: z.string(), minutes: z.number().int() }),
  },
  'session.planned': {
    description: 'A session was planned: when, how long, the agenda. A mentee may plan the discovery call in the first stage.',
    data: session.extend({ plannedAt: z.string(), plannedMinutes: z.number().int() }),
  },
  'session.held': {
    description: 'A planned session was held: when it happened and how long it lasted (never in the future).',
    data: session.extend({ heldAt: z.string(), minutes: z.number().int() }),
  },
  'session.cancelled': { description: 'A planned session was cancelled, perhaps with a reason.', data: session.extend({ reason: z.string().nullable() }) },
  'session.missed': { description: 'A planned session did not take place: its time passed without it.', data: session.extend({ reason: z.string().nullable() }) },
  'reflection.recorded': {
    description: 'A mentor or mentee recorded a reflection.',
    data: z.looseObject({
      ...base,
      relationshipId: id(),
      reflectionId: id(),
      kind: z.enum(REFLECTION_KINDS),
      party: z.enum(PARTIES),
      round: round.meta({ description: 'The round it was written in: a closing reflection counts for that round\'s closure only.' }),
      version: atVersion,
    }),
  },
  'webhook_endpoint.disabled': {
    description: 'Tandem disabled a webhook endpoint: it answered 410 Gone, or failed for 5 days with no success.',
    data: z.looseObject({ ...base, endpointId: id(), url: z.string(), reason: z.string() }),
  },
  'person.deactivated': {
    description: 'A person was de-provisioned (SCIM active false, or DELETE): they can no longer act. Ids and their HR id (externalId) only: no name.',
    data: z.looseObject({ ...base, personId: id(), deleted: z.boolean(), withdrawn: z.array(id()), kept: z.array(id()) }),
  },
  'person.reactivated': { description: 'A de-provisioned person was made active again.', data: z.looseObject({ ...base, personId: id() }) },
  'person.exported': { description: "A person's data was exported (GDPR art. 15 and 20).", data: z.looseObject({ ...base, personId: id() }) },
  'person.erased': {
    description: "A person's personal data was replaced by tombstones (GDPR art. 17); ids, stage history and aggregates remain.",
    data: z.looseObject({ ...base, personId: id() }),
  },
  'relationship.party_deactivated': {
    description: "A party of an active relationship was de-provisioned and the programme keeps such relationships: it stays active, flagged by this event.",
    data: z.looseObject({ ...base, relationshipId: id(), programmeId: id(), personId: id(), party: z.enum(PARTIES) }),
  },
  'relationship.quiet': {
    description:
      "The pair missed its expected session by the programme's grace period: by its agreed rhythm, or without one by the programme's default cadence. Sent once per quiet episode; `actor` is tandem:scheduler.",
    data: z.looseObject({
      ...base,
      relationshipId: id(),
      programmeId: id(),
      expectedAt: z.string().meta({ description: 'The session that was expected and not held (the relationship is quiet since then).' }),
      lastHeldAt: z.string().nullable(),
      basis: z.enum(['rhythm', 'cadence']),
      graceDays: z.number().int(),
      version: atVersion,
    }),
  },
  'relationship.resumed': {
    description: 'A quiet pair held a session again: the quiet episode is over.',
    data: z.looseObject({ ...base, relationshipId: id(), programmeId: id(), quietSince: z.string(), heldAt: z.string(), version: atVersion }),
  },
  'task.due_soon': {
    description: "A task of an active relationship is due within the programme's dueSoonDays and not done. Once per due date.",
    data: goal.extend({ taskId: id(), taskTitle: z.string(), dueOn: z.string() }),
  },
  'milestone.due_soon': {
    description: "A milestone is due within the programme's dueSoonDays and not done. Once per due date.",
    data: goal.extend({ milestoneId: id(), milestoneTitle: z.string(), dueOn: z.string() }),
  },
  'goal.due_soon': { description: "An agreed goal is due within the programme's dueSoonDays. Once per due date.", data: goal.extend({ dueOn: z.string() }) },
  'session.upcoming': {
    description: "A planned session begins within the programme's sessionReminderMinutes. Once per planned time.",
    data: session.extend({ plannedAt: z.string(), plannedMinutes: z.number().int(), agenda: z.string().nullable() }),
  },
  'programme.ending': {
    description: "The programme ends within its endingNoticeDays (endsOn is its last day), with the relationships still active and what happens to them. Once per end date.",
    data: z.looseObject({ ...base, programmeId: id(), name: z.string(), endsOn: z.string(), activeRelationships: z.number().int(), onProgrammeEnd: z.enum(PROGRAMME_END_POLICIES) }),
  },
  'programme.ended': {
    description: 'The programme ended (the day after endsOn). With onProgrammeEnd close, its active relationships are then withdrawn with the reason "the programme ended".',
    data: z.looseObject({ ...base, programmeId: id(), name: z.string(), endsOn: z.string(), activeRelationships: z.number().int(), onProgrammeEnd: z.enum(PROGRAMME_END_POLICIES) }),
  },
  'matching_run.completed': {
    description: "A programme-wide matching run was solved: its proposal is ready to accept (GET /v1/programmes/{programmeId}/matching-runs/{runId}).",
    data: z.looseObject({
      ...base,
      runId: id(),
      programmeId: id(),
      objective: z.number(),
      greedyObjective: z.number(),
      pairs: z.number().int(),
      unmatched: z.number().int(),
    }),
  },
  'matching_run.failed': {
    description: 'A matching run solved in the background failed in every attempt the scheduler made; `failure` is the last error. Nothing was proposed: start a new run.',
    data: z.looseObject({ ...base, runId: id(), programmeId: id(), failure: z.string() }),
  },
  [TEST_EVENT_TYPE]: {
    description: 'An example event sent by POST /v1/webhook-endpoints/{id}/test to that endpoint only; never in GET /v1/events.',
    data: z.looseObject({ ...base, endpointId: id(), message: z.string() }),
  },
};

/** The catalogue with the fields every relationship event and every person event carries (see relationshipContext). */
const SELF_CONTAINED: Record<string, CatalogueEntry> = Object.fromEntries(
  Object.entries(CATALOGUE).map(([type, entry]) => {
    if (!(entry.data instanceof z.ZodObject)) return [type, entry];
    const data = entry.data as z.ZodObject;
    if ('relationshipId' in data.shape) return [type, { ...entry, data: data.extend(relationshipContext) }];
    if (type.startsWith('person.')) return [type, { ...entry, data: data.extend(personContext) }];
    return [type, entry];
  }),
);

/** Every type an endpoint may subscribe to. */
export const SUBSCRIBABLE_EVENT_TYPES = EVENT_TYPES;

/** The JSON Schema of a whole message: `{ type, timestamp, data }`. */
function messageSchema(type: string, entry: CatalogueEntry): Record<string, unknown> {
  const message = z.object({ type: z.literal(type), timestamp: z.iso.datetime(), data: entry.data });
  return z.toJSONSchema(message, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>;
}

export const eventTypeCatalogue = () =>
  Object.entries(SELF_CONTAINED).map(([type, entry]) => ({ type, description: entry.description, schema: messageSchema(type, entry) }));
