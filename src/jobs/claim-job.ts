import { and, asc, eq, lte } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { scheduledJobs } from '../db/schema.ts';
import type { Clock } from '../domain/context.ts';
import { giveUpJob, runJob, SCHEDULER_SUB } from './run-job.ts';

/** Attempts before a job is left failed (its error kept); the waits between them double from a minute. */
export const MAX_ATTEMPTS = 5;
const retryDelayMs = (attempts: number) => 60_000 * 2 ** (attempts - 1);

/** The innermost cause's message: the database's own words, not the statement drizzle wraps around them. */
function rootMessage(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause !== undefined) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}

export type JobOutcome = 'done' | 'retry' | 'failed';

/**
 * Claims the next due job and runs it, in one transaction: the row is taken FOR UPDATE SKIP LOCKED
 * (another worker skips it rather than waiting), the job's use case runs in a savepoint, and the
 * row is marked done in the same commit as the job's effect. A worker that dies mid-job rolls
 * both back, and the job is due again for the next claim: each job's effect happens once. A job
 * that throws is rolled back to the savepoint and retried later, then left failed.
 */
export async function claimAndRunJob(db: Database, clock: Clock): Promise<JobOutcome | null> {
  return db.transaction(async (tx) => {
    const now = clock();
    const [job] = await tx
      .select()
      .from(scheduledJobs)
      .where(and(eq(scheduledJobs.status, 'pending'), lte(scheduledJobs.runAt, now)))
      .orderBy(asc(scheduledJobs.runAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!job) return null;
    const attempts = job.attempts + 1;
    const mark = (changes: Partial<typeof scheduledJobs.$inferInsert>) => tx.update(scheduledJobs).set({ attempts, ...changes }).where(eq(scheduledJobs.id, job.id));
    const ctxIn = (savepoint: unknown) => ({ db: savepoint as Database, clock, actor: { sub: SCHEDULER_SUB, org: job.orgId, roles: ['admin' as const] } });
    try {
      await tx.transaction((savepoint) => runJob(ctxIn(savepoint), job).then(() => undefined));
      await mark({ status: 'done', doneAt: now, lastError: null });
      return 'done';
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS;
      const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
      // The last attempt failed: the kind records that it gave up (a matching run is marked failed),
      // in the same commit as the job. Should that fail too, the job is still left failed, and its
      // error says so.
      let lastError = message;
      if (failed) {
        const failure = `Failed in all ${MAX_ATTEMPTS} attempts of the scheduler; the last: ${rootMessage(error)}`.slice(0, 2000);
        await tx.transaction((savepoint) => giveUpJob(ctxIn(savepoint), job, failure).then(() => undefined)).catch((giveUpError: unknown) => {
          lastError = `Recording that the job gave up failed: ${rootMessage(giveUpError)}. The last attempt: ${message}`.slice(0, 2000);
        });
      }
      await mark({ status: failed ? 'failed' : 'pending', lastError, runAt: new Date(now.getTime() + retryDelayMs(attempts)) });
      return failed ? 'failed' : 'retry';
    }
  });
}
