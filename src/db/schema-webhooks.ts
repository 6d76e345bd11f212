import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { ATTEMPT_TRIGGERS, DELIVERY_CHANNELS, DELIVERY_STATUSES, type XapiActorFormat, type XapiVersion } from '../vocabulary.ts';
import { outboxEvents } from './schema.ts';
import { tenantKeys, tenantReference } from './tenant-keys.ts';

// Webhook endpoints, one delivery per event × endpoint, and the log of every attempt (see src/webhooks/).
const id = () =>
  uuid('id')
    .notNull()
    .default(sql`gen_random_uuid()`)
    .$defaultFn(() => uuidv7());
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** How an LRS is spoken to (channel `xapi`); its password is the row's `secret`. */
export interface LrsSettings {
  version: XapiVersion;
  username: string;
  actorFormat: XapiActorFormat;
  /** The organisation's home page: the `homePage` of every actor account, and the root of activity ids. */
  homePage: string;
}

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    /** `webhook`: signed messages to an integrator; `xapi`: statements to a Learning Record Store (src/delivery/xapi/). */
    channel: text('channel', { enum: DELIVERY_CHANNELS }).notNull().default('webhook'),
    /** Channel `xapi` only. */
    lrs: jsonb('lrs').$type<LrsSettings>(),
    url: text('url').notNull(),
    description: text('description'),
    /** Empty means every event type. */
    eventTypes: text('event_types').array().notNull().default(sql`'{}'::text[]`),
    /** false: the endpoint's messages carry people's ids and externalIds, never their names (docs/events.md). */
    includeNames: boolean('include_names').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    disabledAt: ts('disabled_at'),
    // The signing key must be readable to sign, so it cannot be hashed; it never leaves in a read.
    // For an LRS it is the password of its Basic authentication, kept the same way.
    secret: text('secret').notNull(),
    /** Still signs (as a second signature) until previous_secret_expires_at: the rotation overlap. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    /** The first failure since the last success; cleared by a success or by re-enabling. */
    failingSince: ts('failing_since'),
    lastSuccessAt: ts('last_success_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => tenantKeys('webhook_endpoints', t),
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    trigger: text('trigger', { enum: ATTEMPT_TRIGGERS }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    /** The lease of the dispatcher sending it; past it, the delivery is claimed again (at least once). */
    claimedUntil: ts('claimed_until'),
    claimToken: uuid('claim_token'),
    lastAttemptAt: ts('last_attempt_at'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    succeededAt: ts('succeeded_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    ...tenantKeys('webhook_deliveries', t),
    tenantReference('webhook_deliveries_endpoint_fk', t.orgId, t.endpointId, webhookEndpoints).onDelete('cascade'),
    tenantReference('webhook_deliveries_event_fk', t.orgId, t.eventId, outboxEvents).onDelete('cascade'),
    // One scheduled delivery per endpoint and event, however often the fan-out reads it.
    uniqueIndex('webhook_deliveries_scheduled_key').on(t.endpointId, t.eventId).where(sql`${t.trigger} = 'scheduled'`),
    index('webhook_deliveries_org_event_idx').on(t.orgId, t.eventId),
    index('webhook_deliveries_org_endpoint_idx').on(t.orgId, t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_lease_idx').on(t.claimedUntil).where(sql`${t.status} = 'sending'`),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    orgId: text('org_id').notNull(),
    deliveryId: uuid('delivery_id').notNull(),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    attemptNumber: integer('attempt_number').notNull(),
    trigger: text('trigger', { enum: ATTEMPT_TRIGGERS }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    responseStatus: integer('response_status'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    /** The first 16 KiB of the response body. */
    responseBody: text('response_body'),
    nextAttemptAt: ts('next_attempt_at'),
    at: ts('at').notNull(),
  },
  (t) => [
    ...tenantKeys('webhook_attempts', t),
    tenantReference('webhook_attempts_delivery_fk', t.orgId, t.deliveryId, webhookDeliveries).onDelete('cascade'),
    index('webhook_attempts_org_endpoint_idx').on(t.orgId, t.endpointId, t.id),
    index('webhook_attempts_org_event_idx').on(t.orgId, t.eventId, t.id),
    index('webhook_attempts_delivery_idx').on(t.deliveryId),
    // The attempts still open (a claim closes those of an expired lease): a handful, whatever the log's size.
    index('webhook_attempts_sending_idx').on(t.deliveryId).where(sql`${t.status} = 'sending'`),
  ],
);

/** How far the fan-out has read the outbox (a feed position, src/webhooks/visibility.ts): every event it has read has its deliveries. */
export const webhookCursors = pgTable('webhook_cursors', {
  name: text('name').primaryKey(),
  // A feed position (src/webhooks/visibility.ts): seen are the events visible in `snapshot`, and
  // those of `batch` (visible in it, not in `snapshot`) up to `seq`. Both null: none seen.
  seq: bigint('seq', { mode: 'number' }).notNull(),
  snapshot: text('snapshot'),
  batch: text('batch'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
