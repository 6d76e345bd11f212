import { context, propagation } from '@opentelemetry/api';
import { sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_CHANNEL } from '../../db/event-feed.ts';
import type { EventType } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';

/** What an announcement may weigh, under PostgreSQL's 8,000-byte NOTIFY limit with room for the rest. */
const NOTIFY_BYTES = 7900;
/** The one event type whose facts are announced: the GraphQL subscription builds its payload from them. */
const ANNOUNCED_WITH_FACTS: EventType = 'relationship.stage_changed';

export interface NewEvent {
  type: EventType;
  subjectId: string;
  data: Record<string, unknown>;
}

/**
 * Writes events to the outbox, in the caller's transaction: the change and its events commit
 * together or not at all, in the given order (one INSERT, so `seq` follows it). The NOTIFY is
 * delivered at commit, to every instance.
 *
 * Events are self-contained (docs/events.md): the INSERT itself adds to each event of a
 * relationship (its data has `relationshipId`) the pair, the programme and the stage model key, and
 * to each person event the person's `externalId`, as the writing transaction sees them, with no
 * statement of its own. The NOTIFY is sent by the same statement: one round trip, as before.
 *
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more, and refusing it would refuse the
 * change. A payload with names, a 2,000-character reason in a three-byte script or escaped control
 * characters goes past that, so the announcement is not the event: it carries only what its
 * listeners read (the dispatcher wakes on any; GraphQL's relationshipStageChanged reads a stage
 * change's facts), and a reason too long for it is left out (the subscription then shows none;
 * webhooks and GET /v1/events carry the event in full).
 */
export async function recordEvents(ctx: Ctx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const createdAt = ctx.clock().toISOString();
  const traceparent = currentTraceparent();
  const values = events.map(
    ({ type, subjectId, data }, i) =>
      sql`(${uuidv7()}::uuid, ${type}, ${subjectId}::uuid, ${JSON.stringify({ organisationId: ctx.actor.org, actor: ctx.actor.sub, ...data })}::jsonb, ${i}::int)`,
  );
  await ctx.db.execute(sql`
    with v (id, type, subject_id, payload, ord) as (values ${sql.join(values, sql`, `)}),
    inserted as (
      insert into outbox_events (id, org_id, type, subject_id, payload, created_at, traceparent)
      select v.id, ${ctx.actor.org}, v.type, v.subject_id,
             v.payload || coalesce(${relationshipContext(ctx.actor.org)}, '{}'::jsonb) || coalesce(${personContext(ctx.actor.org)}, '{}'::jsonb),
             ${createdAt}::timestamptz, ${traceparent}
      from v order by v.ord
      returning id, org_id, type, subject_id, payload, seq
    )
    select pg_notify(${EVENTS_CHANNEL}, case when octet_length(note::text) <= ${NOTIFY_BYTES} then note::text else (note #- '{payload,reason}')::text end)
    from (
      select seq, jsonb_build_object('id', id, 'orgId', org_id, 'type', type, 'subjectId', subject_id,
        'payload', case when type = ${ANNOUNCED_WITH_FACTS} then payload - 'mentor' - 'mentee' - 'programme' else '{}'::jsonb end) as note
      from inserted
    ) announced order by seq`);
}

/**
 * What names a relationship event's parties and programme (the `relationshipContext` fields of
 * src/webhooks/event-catalogue.ts, the one description of their shape).
 */
const relationshipContext = (org: string) => sql`(
  select jsonb_build_object(
    'mentor', jsonb_build_object('id', mentor.id, 'externalId', mentor.external_id, 'name', mentor.name),
    'mentee', jsonb_build_object('id', mentee.id, 'externalId', mentee.external_id, 'name', mentee.name),
    'programme', jsonb_build_object('id', p.id, 'name', p.name),
    'stageModel', p.stage_model->>'key')
  from relationships r
  join people mentor on mentor.org_id = r.org_id and mentor.id = r.mentor_id
  join people mentee on mentee.org_id = r.org_id and mentee.id = r.mentee_id
  join programmes p on p.org_id = r.org_id and p.id = r.programme_id
  where r.org_id = ${org} and r.id = (v.payload->>'relationshipId')::uuid)`;

/** A person event's person, by their HR id (the `personContext` fields of the catalogue). */
const personContext = (org: string) => sql`(
  select jsonb_build_object('externalId', person.external_id)
  from people person
  where v.type like 'person.%' and person.org_id = ${org} and person.id = (v.payload->>'personId')::uuid)`;

/** The active trace context in W3C form (`00-<trace>-<span>-<flags>`), or null when no trace is recording. */
export function currentTraceparent(): string | null {
  const carrier: { traceparent?: string } = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

export const recordEvent = (ctx: Ctx, type: EventType, subjectId: string, data: Record<string, unknown>): Promise<void> =>
  recordEvents(ctx, [{ type, subjectId, data }]);
