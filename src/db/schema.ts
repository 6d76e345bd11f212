import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import {
  DEACTIVATION_POLICIES,
  GOAL_FOCUSES,
  MATCHING_RUN_STATUSES,
  PROGRAMME_END_POLICIES,
  GOAL_STATUSES,
  PARTIES,
  REFLECTION_KINDS,
  RELATIONSHIP_STATUSES,
  SESSION_KINDS,
  SESSION_STATUSES,
  type AchievementBasis,
  type GoalTerm,
  type GuardName,
  type MatchingFactor,
  type Party,
  type UnmatchedReason,
} from '../vocabulary.ts';
import { tenantKeys, tenantReference } from './tenant-keys.ts';

// Ids are UUIDv7, made in the application: time-ordered, so "ORDER BY id" is creation
// order and a cursor on id stays stable under inserts. The SQL default covers bulk loads.
// A tenant table's primary key is (org_id, id), its references carry org_id (tenant-keys.ts).
const id = () =>
  uuid('id')
    .notNull()
    .default(sql`gen_random_uuid()`)
    .$defaultFn(() => uuidv7());
const orgId = () => text('org_id').notNull();
const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const organisations = pgTable('organisations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const people = pgTable(
  'people',
  {
    id: id(),
    orgId: orgId(),
    externalId: text('external_id'),
    name: text('name').notNull(),
    email: text('email'),
    timezone: text('timezone').notNull().default('UTC'),
    skills: jsonb('skills').$type<string[]>().notNull().default([]),
    qualifications: jsonb('qualifications').$type<string[]>().notNull().default([]),
    experienceSummary: text('experience_summary'),
    capacity: integer('capacity').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    // The directory side of a person (SCIM 2.0, src/scim/): the identity provider's login name,
    // whether the person may act, and the enterprise attributes; `version` is the ETag.
    userName: text('user_name'),
    active: boolean('active').notNull().default(true),
    locale: text('locale'),
    employeeNumber: text('employee_number'),
    department: text('department'),
    organization: text('organization'),
    managerId: text('manager_id'),
    /** What an identity provider sent beyond the mapped fields (name parts, title, phone numbers…), returned as sent. */
    directory: jsonb('directory').$type<Record<string, unknown>>().notNull().default({}),
    version: integer('version').notNull().default(1),
    deactivatedAt: ts('deactivated_at'),
    /** When the person's personal data was replaced by tombstones (GDPR art. 17). */
    erasedAt: ts('erased_at'),
    // The matching profile (src/domain/matching/) beyond skills, qualifications, capacity and time
    // zone: seniority as a number (higher is more senior), where they work, the mentor's years of
    // experience; the mentee's aspiration, goal focus and mentors they prefer, best first.
    grade: integer('grade'),
    location: text('location'),
    experienceYears: integer('experience_years'),
    aspiration: text('aspiration'),
    goalFocus: text('goal_focus', { enum: GOAL_FOCUSES }),
    preferredMentorIds: jsonb('preferred_mentor_ids').$type<string[]>().notNull().default([]),
  },
  (t) => [
    uniqueIndex('people_org_external_id_key').on(t.orgId, t.externalId),
    // SCIM's userName is unique and compared without regard to case (RFC 7643 §4.1.1).
    uniqueIndex('people_org_user_name_key').on(t.orgId, sql`lower(${t.userName})`),
    ...tenantKeys('people', t),
  ],
);

export interface StageModelData {
  key: string;
  name: string;
  start: string;
  stages: string[];
  transitions: { from: string; to: string; guards: GuardName[] }[];
}

export const programmes = pgTable(
  'programmes',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    description: text('description'),
    stageModel: jsonb('stage_model').$type<StageModelData>().notNull(),
    discoveryMinutes: integer('discovery_minutes').notNull().default(20),
    discoveryRequired: boolean('discovery_required').notNull().default(false),
    /** When the discovery call is required: the fewest minutes a held call must last to count (null: any length). */
    discoveryMinMinutes: integer('discovery_min_minutes'),
    goalHorizonMinDays: integer('goal_horizon_min_days').notNull().default(7),
    goalHorizonMaxMonths: integer('goal_horizon_max_months').notNull().default(24),
    endsOn: date('ends_on', { mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** What happens to a person's active relationships here when they are de-provisioned. */
    onPersonDeactivated: text('on_person_deactivated', { enum: DEACTIVATION_POLICIES }).notNull().default('withdraw'),
    // The scheduler's settings (src/jobs/): the rhythm expected without an agreed one, how late a
    // pair may be before it is quiet, when an unanswered invitation expires (null: never), how long
    // before a due date or a session the reminders go, the notice before the end, and the end itself.
    defaultCadenceDays: integer('default_cadence_days').notNull().default(14),
    quietGraceDays: integer('quiet_grace_days').notNull().default(7),
    invitationExpiryDays: integer('invitation_expiry_days').default(14),
    dueSoonDays: integer('due_soon_days').notNull().default(2),
    sessionReminderMinutes: integer('session_reminder_minutes').notNull().default(1440),
    endingNoticeDays: integer('ending_notice_days').notNull().default(14),
    onProgrammeEnd: text('on_programme_end', { enum: PROGRAMME_END_POLICIES }).notNull().default('leave'),
    /** Matching's weights and rules (src/domain/matching/settings.ts fills what is not set). */
    matching: jsonb('matching').$type<MatchingSettingsData>().notNull().default({}),
  },
  (t) => tenantKeys('programmes', t),
);

export interface MatchingSettingsData {
  weights?: Partial<Record<MatchingFactor, number>>;
  excludeSameDepartment?: boolean;
  minimumScore?: number;
  candidatesPerMentee?: number;
}

export interface Agreement {
  contactChannel: string;
  contactHours: string;
  confidentiality: string;
  mentorCanHelpWith: string[];
  mentorCannotHelpWith: string[];
  /** The agreed meeting rhythm (src/domain/sessions/rhythm.ts). */
  rhythm?: { rrule: string; timeZone: string; startsAt: string; minutes: number } | null;
}

export const relationships = pgTable(
  'relationships',
  {
    id: id(),
    orgId: orgId(),
    programmeId: uuid('programme_id')
      .notNull(),
    mentorId: uuid('mentor_id')
      .notNull(),
    menteeId: uuid('mentee_id')
      .notNull(),
    stage: text('stage').notNull(),
    status: text('status', { enum: RELATIONSHIP_STATUSES }).notNull().default('active'),
    version: integer('version').notNull().default(1),
    /** Which round of the relationship it is in: 1 at the start, one more at each move back to an earlier stage. */
    round: integer('round').notNull().default(1),
    aspiration: text('aspiration'),
    agreement: jsonb('agreement').$type<Agreement>(),
    mentorAcceptedAt: ts('mentor_accepted_at'),
    menteeAcceptedAt: ts('mentee_accepted_at'),
    /** What each party said when they accepted the fit (the first acceptance stands). */
    mentorAcceptanceNote: text('mentor_acceptance_note'),
    menteeAcceptanceNote: text('mentee_acceptance_note'),
    /** Seed 001's rapport: what the mentee hopes for from the relationship, and the challenges they face. */
    hopes: text('hopes'),
    challenges: text('challenges'),
    referralMentorId: uuid('referral_mentor_id'),
    /** Why it was declined (the reason given with the move to declined; `expired` for a stale invitation). */
    declineReason: text('decline_reason'),
    /** A referral opened on decline: the declined relationship it came from, and the one it opened. */
    referredFromId: uuid('referred_from_id'),
    referredToId: uuid('referred_to_id'),
    stageEnteredAt: ts('stage_entered_at').notNull().defaultNow(),
    lastActivityAt: ts('last_activity_at').notNull().defaultNow(),
    endedAt: ts('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Since when the pair has missed its rhythm by the grace period (null: not quiet); cleared by a session held. */
    quietSince: ts('quiet_since'),
    /** When the scheduler next checks the pair for quiet (null while quiet or ended); a held session brings it forward. */
    quietCheckAt: ts('quiet_check_at').defaultNow(),
  },
  (t) => [
    ...tenantKeys('relationships', t),
    tenantReference('relationships_programme_fk', t.orgId, t.programmeId, programmes),
    tenantReference('relationships_mentor_fk', t.orgId, t.mentorId, people),
    tenantReference('relationships_mentee_fk', t.orgId, t.menteeId, people),
    tenantReference('relationships_referral_mentor_fk', t.orgId, t.referralMentorId, people),
    tenantReference('relationships_referred_from_fk', t.orgId, t.referredFromId, t),
    tenantReference('relationships_referred_to_fk', t.orgId, t.referredToId, t),
    // The scheduler's sweeps read only what is due: checks whose time came, and invitations still open.
    index('relationships_quiet_check_idx').on(t.quietCheckAt).where(sql`${t.status} = 'active'`),
    index('relationships_open_invitation_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'active' and (${t.mentorAcceptedAt} is null or ${t.menteeAcceptedAt} is null)`),
    index('relationships_org_programme_idx').on(t.orgId, t.programmeId, t.id),
    index('relationships_org_mentor_idx').on(t.orgId, t.mentorId, t.id),
    index('relationships_org_mentee_idx').on(t.orgId, t.menteeId, t.id),
    index('relationships_org_stage_idx').on(t.orgId, t.stage, t.id),
    index('relationships_org_status_idx').on(t.orgId, t.status, t.id),
  ],
);

/** One act of a party on a goal's achievement: who (their party, the caller's sub), when, and whether staff acted for them. */
export interface PartyAct {
  party: Party;
  actor: string;
  at: string;
  onBehalf: boolean;
}
/** A goal's achievement: its basis, the reason when not evidenced, the marking party's act and the other party's confirmation. */
export interface GoalAchievementData {
  basis: AchievementBasis;
  reason: string | null;
  marked: PartyAct;
  confirmed: PartyAct | null;
}

export const goals = pgTable(
  'goals',
  {
    id: id(),
    orgId: orgId(),
    relationshipId: uuid('relationship_id')
      .notNull(),
    /** The goal of the same relationship this one feeds into (seed 000: new goals "might feed into their original goals"). */
    parentGoalId: uuid('parent_goal_id'),
    title: text('title').notNull(),
    outcome: text('outcome').notNull().default(''),
    focus: text('focus', { enum: GOAL_FOCUSES }).notNull().default('other'),
    relevance: text('relevance').notNull().default(''),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status', { enum: GOAL_STATUSES }).notNull().default('draft'),
    mentorConfirmedRealistic: boolean('mentor_confirmed_realistic').notNull().default(false),
    agreedByMentorAt: ts('agreed_by_mentor_at'),
    agreedByMenteeAt: ts('agreed_by_mentee_at'),
    agreedAt: ts('agreed_at'),
    /** The relationship's round in which the goal was (last) agreed; null while it never was. */
    round: integer('round'),
    achievedAt: ts('achieved_at'),
    /** One party's "achieved" and the other's confirmation (src/domain/goals/achieve-goal.ts); null until marked. */
    achievement: jsonb('achievement').$type<GoalAchievementData>(),
    droppedAt: ts('dropped_at'),
    dropReason: text('drop_reason'),
    /** When an edit of its agreed terms last sent the goal back to draft, and which terms changed. */
    reopenedAt: ts('reopened_at'),
    reopenedBecause: jsonb('reopened_because').$type<GoalTerm[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    ...tenantKeys('goals', t),
    tenantReference('goals_relationship_fk', t.orgId, t.relationshipId, relationships),
    tenantReference('goals_parent_goal_fk', t.orgId, t.parentGoalId, t),
    index('goals_org_relationship_idx').on(t.orgId, t.relationshipId, t.id),
    index('goals_due_idx').on(t.dueOn).where(sql`${t.status} = 'agreed'`),
  ],
);

export const goalMetrics = pgTable(
  'goal_metrics',
  {
    id: id(),
    orgId: orgId(),
    goalId: uuid('goal_id')
      .notNull(),
    position: integer('position').notNull(),
    name: text('name').notNull(),
    baseline: doublePrecision('baseline'),
    target: doublePrecision('target'),
    unit: text('unit'),
  },
  (t) => [
    ...tenantKeys('goal_metrics', t),
    tenantReference('goal_metrics_goal_fk', t.orgId, t.goalId, goals).onDelete('cascade'),
    index('goal_metrics_goal_idx').on(t.goalId, t.position),
  ],
);

export const milestones = pgTable(
  'milestones',
  {
    id: id(),
    orgId: orgId(),
    goalId: uuid('goal_id')
      .notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    doneAt: ts('done_at'),
  },
  (t) => [
    ...tenantKeys('milestones', t),
    tenantReference('milestones_goal_fk', t.orgId, t.goalId, goals).onDelete('cascade'),
    index('milestones_goal_idx').on(t.goalId, t.position),
    index('milestones_due_idx').on(t.dueOn).where(sql`${t.doneAt} is null`)],
);

export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    orgId: orgId(),
    goalId: uuid('goal_id')
      .notNull(),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    dueOn: date('due_on', { mode: 'string' }),
    resources: jsonb('resources').$type<string[]>().notNull().default([]),
    doneAt: ts('done_at'),
    /** Who completed it (the token's sub) and what they noted; cleared when it is reopened. */
    doneBy: text('done_by'),
    doneNote: text('done_note'),
  },
  (t) => [
    ...tenantKeys('tasks', t),
    tenantReference('tasks_goal_fk', t.orgId, t.goalId, goals).onDelete('cascade'),
    index('tasks_goal_idx').on(t.goalId, t.position),
    index('tasks_due_idx').on(t.dueOn).where(sql`${t.doneAt} is null`)],
);

/** Check-ins of a goal's metric: where the KPI stood at a moment, recorded by one of the pair (or an organisation role). */
export const metricReadings = pgTable(
  'metric_readings',
  {
    id: id(),
    orgId: orgId(),
    goalId: uuid('goal_id')
      .notNull(),
    metricId: uuid('metric_id')
      .notNull(),
    value: doublePrecision('value').notNull(),
    /** When the value was true (a check-in may be recorded after the fact), never in the future. */
    at: ts('at').notNull(),
    recordedBy: text('recorded_by').notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys('metric_readings', t),
    tenantReference('metric_readings_goal_fk', t.orgId, t.goalId, goals).onDelete('cascade'),
    tenantReference('metric_readings_metric_fk', t.orgId, t.metricId, goalMetrics).onDelete('cascade'),
    index('metric_readings_org_metric_idx').on(t.orgId, t.metricId, t.id), index('metric_readings_metric_at_idx').on(t.metricId, t.at)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    orgId: orgId(),
    relationshipId: uuid('relationship_id')
      .notNull(),
    kind: text('kind', { enum: SESSION_KINDS }).notNull(),
    // Rows from before planning existed were logged as held: 'held' is their status.
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('held'),
    plannedAt: ts('planned_at'),
    plannedMinutes: integer('planned_minutes'),
    agenda: text('agenda'),
    heldAt: ts('held_at'),
    minutes: integer('minutes'),
    notes: text('notes'),
    /** Why it was cancelled or missed. */
    reason: text('reason'),
    loggedBy: text('logged_by').notNull(),
    /** Who last changed its status (planned → held, cancelled or missed), and when. */
    statusChangedBy: text('status_changed_by'),
    statusChangedAt: ts('status_changed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys('sessions', t),
    tenantReference('sessions_relationship_fk', t.orgId, t.relationshipId, relationships),
    index('sessions_org_relationship_idx').on(t.orgId, t.relationshipId, t.id),
    index('sessions_planned_idx').on(t.plannedAt).where(sql`${t.status} = 'planned'`),
  ],
);

/**
 * A person's iCalendar feed: its secret is in the feed's URL (calendar apps cannot send a token),
 * so only its SHA-256 is kept. One live feed per person: rotating revokes the one before.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    id: id(),
    orgId: orgId(),
    personId: uuid('person_id')
      .notNull(),
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    ...tenantKeys('calendar_feeds', t),
    tenantReference('calendar_feeds_person_fk', t.orgId, t.personId, people),
    uniqueIndex('calendar_feeds_secret_hash_key').on(t.secretHash), index('calendar_feeds_org_person_idx').on(t.orgId, t.personId)],
);

export const reflections = pgTable(
  'reflections',
  {
    id: id(),
    orgId: orgId(),
    relationshipId: uuid('relationship_id')
      .notNull(),
    authorParty: text('author_party', { enum: PARTIES }).notNull(),
    authorId: uuid('author_id')
      .notNull(),
    kind: text('kind', { enum: REFLECTION_KINDS }).notNull(),
    text: text('text').notNull(),
    whatWorked: text('what_worked'),
    whatDidNot: text('what_did_not'),
    howBenefited: text('how_benefited'),
    /** The relationship's round when it was written: a closing reflection counts for that round's closure only. */
    round: integer('round').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    ...tenantKeys('reflections', t),
    tenantReference('reflections_relationship_fk', t.orgId, t.relationshipId, relationships),
    tenantReference('reflections_author_fk', t.orgId, t.authorId, people),
    index('reflections_org_relationship_idx').on(t.orgId, t.relationshipId, t.id),
  ],
);

export const stageHistory = pgTable(
  'stage_history',
  {
    id: id(),
    orgId: orgId(),
    relationshipId: uuid('relationship_id')
      .notNull(),
    /** The relationship's version after this change: one row per version, never two. */
    version: integer('version').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    fromStatus: text('from_status', { enum: RELATIONSHIP_STATUSES }),
    toStatus: text('to_status', { enum: RELATIONSHIP_STATUSES }).notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    override: boolean('override').notNull().default(false),
    referralMentorId: uuid('referral_mentor_id'),
    /** The relationship's round after this change. */
    round: integer('round').notNull().default(1),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    ...tenantKeys('stage_history', t),
    tenantReference('stage_history_relationship_fk', t.orgId, t.relationshipId, relationships),
    uniqueIndex('stage_history_relationship_version_key').on(t.relationshipId, t.version),
  ],
);

/** A 64-bit transaction id (PostgreSQL's `xid8`, as `pg_current_xact_id()` returns it), read as text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

export const outboxEvents = pgTable(
  'outbox_events',
  {
    id: id(),
    /** Insertion order: the order readers take the events of one batch in (see src/webhooks/visibility.ts); taken at insert, not at commit. */
    seq: bigserial('seq', { mode: 'number' }).notNull().unique(),
    /**
     * The id of the transaction that wrote the event (its top-level id, also inside a savepoint): an
     * event is visible to a reader exactly when this id is visible in the reader's snapshot
     * (src/webhooks/visibility.ts). Null for events written before the column existed: visible to all.
     */
    xid: xid8('xid').default(sql`pg_current_xact_id()`),
    orgId: orgId(),
    type: text('type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    /** The W3C trace context active when the event was written (null with tracing off): sent as `traceparent` with its webhooks. */
    traceparent: text('traceparent'),
  },
  (t) => [
    ...tenantKeys('outbox_events', t),
    // Pollers page by seq within a batch; a batch is what has become visible since a snapshot (by xid).
    index('outbox_events_org_seq_idx').on(t.orgId, t.seq),
    index('outbox_events_xid_idx').on(t.xid), // the fan-out: every organisation's events since a snapshot
    index('outbox_events_org_xid_idx').on(t.orgId, t.xid), // a poller: its organisation's
    index('outbox_events_org_type_seq_idx').on(t.orgId, t.type, t.seq),
    index('outbox_events_created_at_idx').on(t.createdAt),
  ],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    orgId: orgId(),
    principal: text('principal').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.principal, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);
/**
 * Rate-limit windows shared by every instance: one row per limited key (a client address or a
 * token's budget), counted in leases: one upsert takes a slice of the budget for an instance
 * (db/rate-limit-store.ts), not one per request. Unlogged in the
 * migration: losing the counts in a crash only resets the current minute, and no WAL is written.
 */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull(),
  resetAt: ts('reset_at').notNull(),
});
export const integrationClients = pgTable(
  'integration_clients',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    /** scrypt hash of the secret; the secret itself is shown once and never stored. */
    secretHash: text('secret_hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    revokedAt: ts('revoked_at'),
  },
  (t) => tenantKeys('integration_clients', t),
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    orgId: orgId(),
    actor: text('actor').notNull(),
    clientId: text('client_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [...tenantKeys('audit_events', t), index('audit_events_org_subject_idx').on(t.orgId, t.subjectId, t.id)],
);

export interface MatchingFactorResult {
  factor: MatchingFactor;
  weight: number;
  value: number;
  contribution: number;
  explanation: string;
}

/**
 * A programme-wide matching run: a proposal, solved by HiGHS (src/solver/), of mentors for the
 * programme's unmatched mentees, with its objective, and the mentees left unmatched and why.
 */
export const matchingRuns = pgTable(
  'matching_runs',
  {
    id: id(),
    orgId: orgId(),
    programmeId: uuid('programme_id').notNull(),
    status: text('status', { enum: MATCHING_RUN_STATUSES }).notNull().default('pending'),
    requestedBy: text('requested_by').notNull(),
    /** What was asked: mentees and mentors to consider (empty: all), a minimum score, the pruning. */
    request: jsonb('request').$type<{ menteeIds?: string[]; mentorIds?: string[]; minimumScore?: number; candidatesPerMentee?: number }>().notNull().default({}),
    objective: doublePrecision('objective'),
    greedyObjective: doublePrecision('greedy_objective'),
    menteeCount: integer('mentee_count'),
    mentorCount: integer('mentor_count'),
    unmatched: jsonb('unmatched').$type<{ menteeId: string; reason: UnmatchedReason; message: string }[]>().notNull().default([]),
    failure: text('failure'),
    createdAt: createdAt(),
    completedAt: ts('completed_at'),
  },
  (t) => [
    ...tenantKeys('matching_runs', t),
    tenantReference('matching_runs_programme_fk', t.orgId, t.programmeId, programmes),
    index('matching_runs_org_programme_idx').on(t.orgId, t.programmeId, t.id),
    // The scheduler's sweep reads only runs still waiting to be solved.
    index('matching_runs_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** A pair proposed by a run; accepting it opens the relationship (relationshipId). */
export const matchingPairs = pgTable(
  'matching_pairs',
  {
    id: id(),
    orgId: orgId(),
    runId: uuid('run_id').notNull(),
    menteeId: uuid('mentee_id').notNull(),
    mentorId: uuid('mentor_id').notNull(),
    score: doublePrecision('score').notNull(),
    factors: jsonb('factors').$type<MatchingFactorResult[]>().notNull(),
    relationshipId: uuid('relationship_id'),
    acceptedAt: ts('accepted_at'),
  },
  (t) => [
    ...tenantKeys('matching_pairs', t),
    tenantReference('matching_pairs_run_fk', t.orgId, t.runId, matchingRuns),
    tenantReference('matching_pairs_mentee_fk', t.orgId, t.menteeId, people),
    tenantReference('matching_pairs_mentor_fk', t.orgId, t.mentorId, people),
    tenantReference('matching_pairs_relationship_fk', t.orgId, t.relationshipId, relationships),
    index('matching_pairs_org_run_idx').on(t.orgId, t.runId, t.id),
    uniqueIndex('matching_pairs_run_mentee_key').on(t.runId, t.menteeId),
  ],
);

export * from './schema-webhooks.ts';
export * from './schema-jobs.ts';
