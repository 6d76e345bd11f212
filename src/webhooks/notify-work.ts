import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';

/** Wakes every dispatcher sharing the database when a resend, recovery, test or re-enable queues work. */
export const WORK_CHANNEL = 'tandem_webhook_work';

/** Inside a transaction the NOTIFY is delivered at commit, so a dispatcher never wakes before the rows exist. */
export async function announceWork(db: Database): Promise<void> {
  await db.execute(sql`select pg_notify(${WORK_CHANNEL}, '')`);
}
