/**
 * Every enumerated value of the product, written once. The drizzle columns, the zod
 * schemas (and so OpenAPI) and the GraphQL enums all use these exact strings. This file is the
 * shared vocabulary: every layer may import it, and it imports nothing (see docs/architecture.md).
 */
export const RELATIONSHIP_STATUSES = ['active', 'completed', 'declined', 'withdrawn'] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

/** The end states a transition may reach besides another stage. */
export const END_STATUSES = ['completed', 'declined', 'withdrawn'] as const;
export type EndStatus = (typeof END_STATUSES)[number];

export const GOAL_STATUSES = ['draft', 'agreed', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_FOCUSES = ['promotion', 'career_change', 'network', 'hard_skill', 'soft_skill', 'other'] as const;
export type GoalFocus = (typeof GOAL_FOCUSES)[number];

/**
 * A goal's agreed terms: what both parties agreed to. Changing one of them sends an agreed goal back
 * to draft; everything else (its title, focus, action plan, readings, milestone titles) is the work.
 */
export const GOAL_TERMS = ['outcome', 'relevance', 'dueOn', 'metrics', 'milestoneDates', 'mentorConfirmedRealistic'] as const;
export type GoalTerm = (typeof GOAL_TERMS)[number];

export const SESSION_KINDS = ['discovery', 'regular', 'closing'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** A session is planned, then held, cancelled or missed (src/domain/sessions/session-states.ts). */
export const SESSION_STATUSES = ['planned', 'held', 'cancelled', 'missed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const REFLECTION_KINDS = ['progress', 'feedback', 'closing'] as const;
export type ReflectionKind = (typeof REFLECTION_KINDS)[number];
/** The kinds written along the way; a closing reflection answers more (its own input and mutation). */
export const ONGOING_REFLECTION_KINDS = ['progress', 'feedback'] as const satisfies readonly ReflectionKind[];

export const PARTIES = ['mentor', 'mentee'] as const;
export type Party = (typeof PARTIES)[number];

/** How a stage change goes: on through the model's stages, back to an earlier one (a loop: a new round), or out to an end status. */
export const MOVE_DIRECTIONS = ['forward', 'back', 'exit'] as const;
export type MoveDirection = (typeof MOVE_DIRECTIONS)[number];

export const ROLES = ['admin', 'manager', 'member', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What a programme does with a person's active relationships when the person is de-provisioned
 * (SCIM `active: false` or DELETE): withdraw them ("left the organisation"), or keep them and
 * flag them with a `relationship.party_deactivated` event.
 */
export const DEACTIVATION_POLICIES = ['withdraw', 'keep'] as const;
export type DeactivationPolicy = (typeof DEACTIVATION_POLICIES)[number];

/**
 * What a programme does with relationships still active on its end date: leave them as they are,
 * or close them (withdrawn, with the reason "the programme ended").
 */
export const PROGRAMME_END_POLICIES = ['leave', 'close'] as const;
export type ProgrammeEndPolicy = (typeof PROGRAMME_END_POLICIES)[number];

/**
 * The scheduler's job kinds (src/jobs/): each is a domain use case run once per occurrence.
 * quiet_check: has the pair missed its rhythm by the grace period; expire_invitation: an
 * initiation never accepted by both; *_due_soon, session_upcoming: reminders; programme_ending,
 * programme_ended: the notice before the end date, and the end itself; matching_run: a large
 * programme's matching run, solved in the background.
 */
export const JOB_KINDS = [
  'quiet_check',
  'expire_invitation',
  'task_due_soon',
  'milestone_due_soon',
  'goal_due_soon',
  'session_upcoming',
  'programme_ending',
  'programme_ended',
  'programme_end_close',
  'matching_run',
] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * Matching (src/domain/matching/): the factors a mentor is scored on for a mentee, each a value in
 * [0, 1] weighted by the programme; the hard exclusions that keep a pair out; a run's states.
 */
export const MATCHING_FACTORS = ['skills', 'goalFocus', 'workingHours', 'grade', 'experience', 'preference', 'location'] as const;
export type MatchingFactor = (typeof MATCHING_FACTORS)[number];
export const MATCHING_EXCLUSIONS = [
  'SAME_PERSON',
  'MENTOR_INACTIVE',
  'NO_MENTOR_PROFILE',
  'MENTOR_AT_CAPACITY',
  'SAME_MANAGER',
  'LINE_MANAGER',
  'DECLINED_BEFORE',
  'ALREADY_PAIRED',
  'SAME_DEPARTMENT',
] as const;
export type MatchingExclusion = (typeof MATCHING_EXCLUSIONS)[number];
/** Why a run left a mentee without a mentor. */
export const UNMATCHED_REASONS = ['ALREADY_MATCHED', 'NO_ELIGIBLE_MENTOR', 'BELOW_MINIMUM_SCORE', 'CAPACITY_TAKEN'] as const;
export type UnmatchedReason = (typeof UNMATCHED_REASONS)[number];
export const MATCHING_RUN_STATUSES = ['pending', 'completed', 'failed'] as const;
export type MatchingRunStatus = (typeof MATCHING_RUN_STATUSES)[number];

/** A job waits (pending), is done, or failed after its last retry. */
export const JOB_STATUSES = ['pending', 'done', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const GUARDS = [
  'both_accepted',
  'discovery_held',
  'agreement_set',
  'smart_goal_agreed',
  'action_plan_ready',
  'goals_resolved',
  'reflections_recorded',
] as const;
export type GuardName = (typeof GUARDS)[number];

/** Why a goal counts as achieved: its evidence (every metric at or past its target, or every milestone done), or a reason given. */
export const ACHIEVEMENT_BASES = ['evidence', 'reason'] as const;
export type AchievementBasis = (typeof ACHIEVEMENT_BASES)[number];

export const EVENT_TYPES = [
  'relationship.opened',
  'relationship.stage_changed',
  'relationship.completed',
  'relationship.declined',
  'relationship.withdrawn',
  'relationship.accepted',
  'relationship.agreement_set',
  'relationship.rapport_set',
  'goal.agreed',
  'goal.achieved',
  'goal.achievement_marked',
  'goal.dropped',
  'milestone.completed',
  'goal.drafted',
  'goal.updated',
  'task.completed',
  'task.reopened',
  'metric.recorded',
  'session.logged',
  'session.planned',
  'session.held',
  'session.cancelled',
  'session.missed',
  'reflection.recorded',
  'webhook_endpoint.disabled',
  'person.deactivated',
  'person.reactivated',
  'person.exported',
  'person.erased',
  'relationship.party_deactivated',
  'relationship.quiet',
  'relationship.resumed',
  'task.due_soon',
  'milestone.due_soon',
  'goal.due_soon',
  'session.upcoming',
  'programme.ending',
  'programme.ended',
  'matching_run.completed',
  'matching_run.failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * The outbox's channels: Standard Webhooks to an integrator's endpoint, or xAPI statements to a
 * Learning Record Store. Both ride the same fan-out, claim, retry schedule and attempt log.
 */
export const DELIVERY_CHANNELS = ['webhook', 'xapi'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The events that become xAPI statements (src/delivery/xapi/build-statements.ts says how). */
export const XAPI_EVENT_TYPES = [
  'relationship.stage_changed',
  'relationship.completed',
  'goal.agreed',
  'goal.achieved',
  'milestone.completed',
  'task.completed',
  'session.held',
  'session.logged',
] as const satisfies readonly EventType[];
export type XapiEventType = (typeof XAPI_EVENT_TYPES)[number];

/** The xAPI versions an LRS may speak (the X-Experience-API-Version header). */
export const XAPI_VERSIONS = ['1.0.3', '2.0.0'] as const;
export type XapiVersion = (typeof XAPI_VERSIONS)[number];

/** How a person is the statement's actor: an account on the organisation's home page (their id), or their email (mbox). */
export const XAPI_ACTOR_FORMATS = ['account', 'mbox'] as const;
export type XapiActorFormat = (typeof XAPI_ACTOR_FORMATS)[number];

/** Webhook deliveries: where each one stands. */
export const DELIVERY_STATUSES = ['pending', 'sending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** `scheduled`: the fan-out and its retries; `manual`: a resend, a recovery or a test, tried once. */
export const ATTEMPT_TRIGGERS = ['scheduled', 'manual'] as const;
export type AttemptTrigger = (typeof ATTEMPT_TRIGGERS)[number];
