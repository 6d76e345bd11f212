import { and, asc, eq, lte } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { scheduledJobs } from '../db/schema.ts';
import type { Clock } from '../domain/context.ts';
import { runJob, SCHEDULER_SUB } from './run-job.ts';

/** Attempts before a job is left failed (its error kept); the waits between them double from a minute. */
export const MAX_ATTEMPTS = 5;
const retryDelayMs = (attempts: number) => 60_000 * 2 ** (attempts - 1);

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
    try {
      await tx.transaction((savepoint) => runJob({ db: savepoint as unknown as Database, clock, actor: { sub: SCHEDULER_SUB, org: job.orgId, roles: ['admin'] } }, job).then(() => undefined));
      await mark({ status: 'done', doneAt: now, lastError: null });
      return 'done';
    } catch (error) {
      const failed = attempts >= MAX_ATTEMPTS;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await mark({ status: failed ? 'failed' : 'pending', lastError: message.slice(0, 2000), runAt: new Date(now.getTime() + retryDelayMs(attempts)) });
      return failed ? 'failed' : 'retry';
    }
  });
}
