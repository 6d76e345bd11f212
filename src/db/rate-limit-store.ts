import { sql } from 'drizzle-orm';
import { selectRows, type Database } from './client.ts';

/** What @fastify/rate-limit reads back from a store: hits in the window, milliseconds until it resets. */
export interface RateLimitCount {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: RateLimitCount) => void;

/**
 * Takes `count` hits of `key`'s window in one statement: an upsert on the key that starts a new
 * window when the old one has run out. Answers the window's count after the taking, so the hits
 * taken are the positions `hits - count + 1 … hits`. Every instance on the database shares the count.
 */
export async function hitRateLimit(db: Database, key: string, windowMs: number, count = 1): Promise<RateLimitCount> {
  const [row] = await selectRows<{ hits: number; ttl: number }>(
    db,
    sql`insert into rate_limits as r (key, hits, reset_at) values (${key}, ${count}, now() + ${windowMs} * interval '1 millisecond')
        on conflict (key) do update set
          hits = case when r.reset_at <= now() then excluded.hits else r.hits + excluded.hits end,
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
 * How much of a key's remaining budget one instance takes at a time: an eighth of what is left,
 * at most LEASE_MAX hits. Near the limit a lease is one hit, so the last hits are counted one by
 * one in the database, exactly as without leases.
 */
const LEASE_SHARE = 8;
const LEASE_MAX = 1000;
export const leaseSize = (max: number, counted: number): number => Math.max(1, Math.min(LEASE_MAX, Math.floor((max - counted) / LEASE_SHARE)));

/** One key's hits held by this instance: positions `next … last` of the window's count are its own. */
interface Lease {
  next: number;
  last: number;
  /** The window's end on this process's monotonic clock. */
  endsAt: number;
  /** A reservation under way: later hits wait for it instead of starting their own. */
  pending?: Promise<void>;
}

/**
 * Leases: the per-request cost of a shared limit without a statement per request. An instance
 * takes a slice of a key's budget in one upsert (hitRateLimit with count = slice) and hands out
 * its positions from memory until they run out. The fleet still never passes a key more than its
 * limit in a window, since every position was counted in the database before it was given out;
 * what a lease costs is that an instance may refuse while another still holds unspent hits (at
 * most an eighth of what was left when it leased). Once the window's count is past the limit the
 * key is refused from memory until the window ends.
 */
export class LeasedCounter {
  readonly #leases = new Map<string, Lease>();
  /** @param take counts `count` hits of a key's window where every instance sees them (hitRateLimit). */
  constructor(
    private readonly take: (key: string, windowMs: number, count: number) => Promise<RateLimitCount>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async hit(key: string, windowMs: number, max: number): Promise<RateLimitCount> {
    for (;;) {
      const lease = this.#leases.get(key);
      const now = this.now();
      if (lease && lease.endsAt > now) {
        if (lease.pending) {
          await lease.pending;
          continue;
        }
        const ttl = Math.ceil(lease.endsAt - now);
        if (lease.next <= lease.last) return { current: lease.next++, ttl };
        // Past the limit: nothing another instance does can lower the count before the window ends.
        if (lease.last > max) return { current: lease.last + 1, ttl };
      }
      await this.#reserve(key, windowMs, max, lease && lease.endsAt > now ? lease.last : 0);
    }
  }

  read(key: string): RateLimitCount | undefined {
    const lease = this.#leases.get(key);
    const now = this.now();
    if (!lease || lease.endsAt <= now || lease.pending) return undefined;
    return { current: lease.next - 1, ttl: Math.ceil(lease.endsAt - now) };
  }

  #reserve(key: string, windowMs: number, max: number, counted: number): Promise<void> {
    const size = leaseSize(max, counted);
    const placeholder: Lease = { next: 1, last: 0, endsAt: Number.POSITIVE_INFINITY };
    placeholder.pending = this.take(key, windowMs, size).then(
      ({ current, ttl }) => {
        this.#leases.set(key, { next: current - size + 1, last: current, endsAt: this.now() + ttl });
        this.#forgetEnded();
      },
      (error: unknown) => {
        this.#leases.delete(key);
        throw error;
      },
    );
    this.#leases.set(key, placeholder);
    return placeholder.pending;
  }

  /** Keys whose window ended go, so a flood of one-off addresses does not grow the map for ever. */
  #forgetEnded(): void {
    if (this.#leases.size < 10_000) return;
    const now = this.now();
    for (const [key, lease] of this.#leases) if (!lease.pending && lease.endsAt <= now) this.#leases.delete(key);
  }
}

/**
 * A store for @fastify/rate-limit (its `store` option takes a class) counting in the database, so
 * a limit holds across every instance, through leases (LeasedCounter). Fixed windows, like the
 * plugin's memory store; the plugin's continueExceeding and exponential backoff are not offered
 * (Tandem uses neither).
 */
export function databaseRateLimitStore(db: Database) {
  const counter = new LeasedCounter((key, windowMs, count) => hitRateLimit(db, key, windowMs, count));
  return class DatabaseRateLimitStore {
    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      counter.hit(key, timeWindow, max).then((count) => callback(null, count), (error: Error) => callback(error));
    }
    read(key: string, callback: Callback): void {
      const held = counter.read(key);
      if (held) return callback(null, held);
      readRateLimit(db, key).then((count) => callback(null, count), (error: Error) => callback(error));
    }
    child(): DatabaseRateLimitStore {
      return new DatabaseRateLimitStore();
    }
  };
}
