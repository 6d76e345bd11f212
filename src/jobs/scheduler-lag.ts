import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';

/**
 * How far the scheduler is behind: the age of the oldest job due and still pending (0 when it keeps
 * up), read at scrape time for /metrics from the partial index of pending jobs by run_at.
 */
export async function readSchedulerLag(db: Database, now: Date): Promise<number> {
  const [row] = await selectRows<{ oldest: Date | string | null }>(
    db,
    sql`select min(run_at) as oldest from scheduled_jobs where status = 'pending' and run_at <= ${now.toISOString()}::timestamptz`,
  );
  return row?.oldest ? Math.max(0, (now.getTime() - new Date(row.oldest).getTime()) / 1000) : 0;
}
