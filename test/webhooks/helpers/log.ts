import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import type { Dispatcher } from '../../../src/webhooks/dispatcher.ts';

/** When the next pending delivery of an organisation is due, or null when none is. */
export async function nextDue(database: DatabaseHandle, org: string): Promise<Date | null> {
  const [row] = await database.rows<{ at: string | Date | null }>(
    sql`select min(next_attempt_at) as at from webhook_deliveries where org_id = ${org} and status = 'pending'`,
  );
  return row?.at ? new Date(row.at) : null;
}

/** Moves the clock to each next due time and delivers, until nothing is pending or `until` says stop. */
export async function runSchedule(
  database: DatabaseHandle,
  org: string,
  dispatcher: Dispatcher,
  time: { set(date: Date): void },
  until: () => boolean | Promise<boolean> = () => false,
  maxRounds = 200,
): Promise<number> {
  for (let round = 0; round < maxRounds; round++) {
    if (await until()) return round;
    const due = await nextDue(database, org);
    if (!due) return round;
    time.set(due);
    await dispatcher.drain();
  }
  throw new Error(`still pending after ${maxRounds} rounds`);
}

export interface AttemptRow {
  deliveryId: string;
  eventId: string;
  attemptNumber: number;
  trigger: string;
  status: string;
  responseStatus: number | null;
  error: string | null;
  at: Date;
  nextAttemptAt: Date | null;
}

/** Every attempt of an organisation, grouped by delivery, in order. */
export async function attemptsByDelivery(database: DatabaseHandle, org: string): Promise<Map<string, AttemptRow[]>> {
  const rows = await database.rows<Record<string, unknown>>(
    sql`select delivery_id, event_id, attempt_number, trigger, status, response_status, error, at, next_attempt_at
        from webhook_attempts where org_id = ${org} order by delivery_id, attempt_number`,
  );
  const grouped = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    const attempt: AttemptRow = {
      deliveryId: row.delivery_id as string,
      eventId: row.event_id as string,
      attemptNumber: Number(row.attempt_number),
      trigger: row.trigger as string,
      status: row.status as string,
      responseStatus: row.response_status === null ? null : Number(row.response_status),
      error: row.error as string | null,
      at: new Date(row.at as string),
      nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at as string) : null,
    };
    grouped.set(attempt.deliveryId, [...(grouped.get(attempt.deliveryId) ?? []), attempt]);
  }
  return grouped;
}
