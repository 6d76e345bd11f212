import { randomUUID } from 'node:crypto';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { selectRows, type Database } from '../db/client.ts';
import { outboxEvents, webhookDeliveries, webhookEndpoints } from '../db/schema.ts';
import type { OutboxEventRow } from './message.ts';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** One delivery this dispatcher holds the lease on, with what it needs to send it. */
export interface ClaimedDelivery {
  delivery: DeliveryRow;
  attemptId: string;
  event: OutboxEventRow;
  endpoint: EndpointRow;
}

export const LEASE_LOST_ERROR = 'The dispatcher stopped mid-send (its lease expired); sent again.';

/** `alias.column as prefix_column` for every column of a table, for a raw select of several tables. */
const selectAll = (table: PgTable, alias: string, prefix: string): SQL =>
  sql.raw(
    Object.values(getTableColumns(table))
      .map((column) => `${alias}.${column.name} as ${prefix}${column.name}`)
      .join(', '),
  );

/** Turns the `prefix_column` values of a raw row into the table's row, as drizzle would (dates, numbers, json, arrays). */
function readRow<T>(table: PgTable, raw: Record<string, unknown>, prefix: string): T {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[`${prefix}${column.name}`];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T;
}

/**
 * Claims up to `limit` due deliveries of enabled endpoints: pending ones whose time has come, and
 * sending ones whose lease has run out (their dispatcher died mid-send: at least once). FOR UPDATE
 * SKIP LOCKED lets any number of dispatchers claim side by side without waiting on or taking each
 * other's rows; the lease (claimed_until) then keeps the row theirs after this statement ends,
 * while the HTTP request runs outside any transaction. Each claim opens its attempt in the log
 * (and closes, as lost, the attempt of a lease that ran out). All of it is one statement, so one
 * round trip and one commit whatever the number claimed.
 */
export async function claimDue(db: Database, options: { now: Date; leaseMs: number; limit: number }): Promise<ClaimedDelivery[]> {
  const { now, leaseMs, limit } = options;
  const at = now.toISOString();
  // The attempt ids, made here so that they are time-ordered (uuidv7) like every other id; one per possible claim.
  const attemptIds = `{${Array.from({ length: limit }, () => uuidv7()).join(',')}}`;
  const rows = await selectRows<Record<string, unknown>>(
    db,
    // Two index-ordered reads (pending by next_attempt_at, expired leases by claimed_until), each
    // stopping at the limit: a claim costs the same whatever the backlog (one OR of the two would
    // read and sort every due delivery, for each claim).
    sql`with pending_due as (
          select d.id, d.next_attempt_at as due_at from webhook_deliveries d
          join webhook_endpoints w on w.org_id = d.org_id and w.id = d.endpoint_id
          where w.enabled and d.status = 'pending' and d.next_attempt_at <= ${at}::timestamptz
          order by d.next_attempt_at
          limit ${limit}
          for update of d skip locked
        ),
        expired_due as (
          select d.id, d.claimed_until as due_at from webhook_deliveries d
          join webhook_endpoints w on w.org_id = d.org_id and w.id = d.endpoint_id
          where w.enabled and d.status = 'sending' and d.claimed_until <= ${at}::timestamptz
          order by d.claimed_until
          limit ${limit}
          for update of d skip locked
        ),
        due as (
          select id, expired from (
            select id, due_at, false as expired from pending_due
            union all
            select id, due_at, true as expired from expired_due
          ) candidates
          order by due_at
          limit ${limit}
        ),
        claimed as (
          update webhook_deliveries d
          set status = 'sending', attempts = d.attempts + 1, claimed_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
              claim_token = ${randomUUID()}::uuid, last_attempt_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
          from due where d.id = due.id
          returning d.*
        ),
        lost as (
          update webhook_attempts a set status = 'failed', error = ${LEASE_LOST_ERROR}
          from due where due.expired and a.delivery_id = due.id and a.status = 'sending'
          returning a.id
        ),
        numbered as (
          select c.*, (${attemptIds}::uuid[])[(row_number() over (order by c.next_attempt_at, c.id))::int] as attempt_id from claimed c
        ),
        opened as (
          insert into webhook_attempts (id, org_id, delivery_id, endpoint_id, event_id, event_type, attempt_number, trigger, status, at)
          select c.attempt_id, c.org_id, c.id, c.endpoint_id, c.event_id, e.type, c.attempts, c.trigger, 'sending', ${at}::timestamptz
          from numbered c join outbox_events e on e.org_id = c.org_id and e.id = c.event_id
          returning id
        )
        select c.attempt_id, ${selectAll(webhookDeliveries, 'c', 'd_')}, ${selectAll(outboxEvents, 'e', 'e_')}, ${selectAll(webhookEndpoints, 'w', 'w_')}
        from numbered c
        join outbox_events e on e.org_id = c.org_id and e.id = c.event_id
        join webhook_endpoints w on w.org_id = c.org_id and w.id = c.endpoint_id
        order by c.attempt_id`,
  );
  return rows.map((raw) => ({
    delivery: readRow<DeliveryRow>(webhookDeliveries, raw, 'd_'),
    attemptId: raw.attempt_id as string,
    event: readRow<OutboxEventRow>(outboxEvents, raw, 'e_'),
    endpoint: readRow<EndpointRow>(webhookEndpoints, raw, 'w_'),
  }));
}
