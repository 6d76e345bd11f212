import { setTimeout as sleep } from 'node:timers/promises';
import type { DatabaseHandle } from './client.ts';
import { isConnectionFailure } from './errors.ts';

/** PostgreSQL stayed unreachable for the whole start timeout; `message` says what to check. */
export class DatabaseUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnreachableError';
  }
}

/**
 * Migrates, waiting for an unreachable PostgreSQL with backoff (1, 2, 4 … 15 s) for up to
 * `seconds` (DATABASE_START_TIMEOUT): a database that comes up a little after Tandem (compose, a
 * failover) is waited for; `onWaiting` hears one line saying what is wrong and what to check. One
 * that stays away rejects with DatabaseUnreachableError, for the caller to print and exit non-zero,
 * and the supervisor decides what next. Any other failure rejects at once, as it is.
 */
export async function migrateWhenReachable(handle: DatabaseHandle, url: string, seconds: number, onWaiting: (line: string) => void): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await handle.migrate();
    } catch (error) {
      if (handle.kind !== 'postgres' || !isConnectionFailure(error)) throw error;
      const where = databaseAddress(url);
      const reason = describe(error);
      const wait = Math.min(15_000, 1000 * 2 ** attempt, deadline - performance.now());
      if (wait <= 0) {
        throw new DatabaseUnreachableError(
          `Tandem could not reach PostgreSQL at ${where} within ${seconds} s (${reason}); exiting. Check DATABASE_URL, that the database runs and accepts connections from here, then start again.`,
        );
      }
      if (attempt === 0) {
        onWaiting(`PostgreSQL at ${where} is unreachable (${reason}). Check DATABASE_URL and that the database runs and accepts connections; retrying for up to ${seconds} s (DATABASE_START_TIMEOUT).`);
      }
      await sleep(wait);
    }
  }
}

/** Host, port and database name of a URL, never its user or password. */
function databaseAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** The code and message of a connection failure, as deep as drizzle wrapped it; never a statement or its parameters. */
function describe(error: unknown): string {
  let current = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (Array.isArray(current.errors) && current.errors.length) current = current.errors[0] as typeof current;
    if (typeof current?.code === 'string') return `${current.code}${typeof current.message === 'string' && !current.message.startsWith('Failed query') ? `: ${current.message}` : ''}`;
    current = current?.cause as typeof current;
  }
  return 'no answer';
}
