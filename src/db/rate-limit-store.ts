import { sql } from 'drizzle-orm';
import { selectRows, type Database } from './client.ts';

/** What @fastify/rate-limit reads back from a store: hits in the window, milliseconds until it resets. */
export interface RateLimitCount {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: RateLimitCount) => void;

/**
 * Counts one hit of `key` in its window: one statement, an upsert on the key that starts a new
 * window when the old one has run out. Every instance on the database shares the count.
 */
export async function hitRateLimit(db: Database, key: string, windowMs: number): Promise<RateLimitCount> {
  const [row] = await selectRows<{ hits: number; ttl: number }>(
    db,
    sql`insert into rate_limits as r (key, hits, reset_at) values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
        on conflict (key) do update set
          hits = case when r.reset_at <= now() then 1 else r.hits + 1 end,
          reset_at = case when r.reset_at <= now() then excluded.reset_at else r.reset_at end
        returning hits, greatest(0, ceil(extract(epoch from r.reset_at - now()) * 1000))::int as ttl`,
  );
  return { current: row!.hits, ttl: row!.ttl };
}

/** Reads a key's count without spending (the plugin's `increment: false`). */
async function readRateLimit(db: Database, key: string): Promise<RateLimitCount> {
  const [row] = await selectRows<{ hits: number; ttl: number }>(
    db,
    sql`select hits, greatest(0, ceil(extract(epoch from reset_at - now()) * 1000))::int as ttl from rate_limits where key = ${key} and reset_at > now()`,
  );
  return row ? { current: row.hits, ttl: row.ttl } : { current: 0, ttl: 0 };
}

/** Forgets windows that ran out (run with the hourly purge; a stale row is also reset on its next hit). */
export async function purgeRateLimits(db: Database): Promise<void> {
  await db.execute(sql`delete from rate_limits where reset_at < now() - interval '1 minute'`);
}

/**
 * A store for @fastify/rate-limit (its `store` option takes a class) counting in the database, so
 * a limit holds across every instance. Fixed windows, like the plugin's memory store; the plugin's
 * continueExceeding and exponential backoff are not offered (Tandem uses neither).
 */
export function databaseRateLimitStore(db: Database) {
  return class DatabaseRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number): void {
      hitRateLimit(db, key, timeWindow).then((count) => callback(null, count), (error: Error) => callback(error));
    }
    read(key: string, callback: Callback): void {
      readRateLimit(db, key).then((count) => callback(null, count), (error: Error) => callback(error));
    }
    child(): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore();
    }
  };
}
