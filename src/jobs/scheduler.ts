import type { DatabaseHandle } from '../db/client.ts';
import { systemClock, type Clock } from '../domain/context.ts';
import type { JobKind } from '../vocabulary.ts';
import { claimAndRunJob } from './claim-job.ts';
import { planDueJobs } from './plan-due-jobs.ts';

/** Jobs one round runs at most before planning again. */
export const DEFAULT_BATCH_SIZE = 200;
/** How often a running scheduler sweeps: reminders and checks are about days, not seconds. */
export const DEFAULT_POLL_MS = 15_000;

export interface SchedulerLogger {
  error(object: object, message: string): void;
}

export interface SchedulerOptions {
  database: Pick<DatabaseHandle, 'db'>;
  clock?: Clock;
  pollMs?: number;
  /** When the first round runs after `start()`; at once unless given (the server waits until it has begun answering). */
  firstRoundAfterMs?: number;
  batchSize?: number;
  logger?: SchedulerLogger;
}

export interface RoundResult {
  planned: number;
  done: number;
  retried: number;
  failed: number;
}

export interface Scheduler {
  /** One round: plan what is due at the clock's time, then run due jobs (at most batchSize). */
  runOnce(): Promise<RoundResult & { plannedByKind: Record<JobKind, number> }>;
  /** Rounds until nothing is planned or run at the clock's current time (tests walk time through the clock). */
  drain(maxRounds?: number): Promise<RoundResult>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The scheduler, as the server runs it in process and `npm run worker` runs it beside the webhook
 * dispatcher: every `pollMs` it sweeps for due occurrences (plan-due-jobs.ts) and runs the jobs
 * due, one transaction each (claim-job.ts). Any number of schedulers may share one PostgreSQL:
 * planning is idempotent by key and claims skip each other's locked rows.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const db = options.database.db;
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const logger = options.logger ?? { error: () => {} };
  let timer: NodeJS.Timeout | undefined;
  let firstRound: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;
  let stopped = false;

  async function runOnce() {
    const plannedByKind = await planDueJobs(db, clock());
    const result: RoundResult = { planned: Object.values(plannedByKind).reduce((a, b) => a + b, 0), done: 0, retried: 0, failed: 0 };
    for (let i = 0; i < batchSize && !stopped; i++) {
      const outcome = await claimAndRunJob(db, clock);
      if (outcome === null) break;
      if (outcome === 'done') result.done++;
      else if (outcome === 'retry') result.retried++;
      else result.failed++;
    }
    return { ...result, plannedByKind };
  }

  async function drain(maxRounds = 1000): Promise<RoundResult> {
    const total: RoundResult = { planned: 0, done: 0, retried: 0, failed: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const { plannedByKind: _, ...result } = await runOnce();
      for (const key of Object.keys(total) as (keyof RoundResult)[]) total[key] += result[key];
      if (result.planned === 0 && result.done + result.retried + result.failed === 0) return total;
    }
    throw new Error(`the scheduler still had work after ${maxRounds} rounds`);
  }

  function tick(): void {
    if (running || stopped) return;
    running = runOnce()
      .catch((error: unknown) => logger.error({ err: error }, 'scheduler round failed; retrying at the next poll'))
      .finally(() => {
        running = null;
      });
  }

  return {
    runOnce,
    drain,
    start() {
      timer = setInterval(tick, options.pollMs ?? DEFAULT_POLL_MS);
      timer.unref();
      if (options.firstRoundAfterMs === undefined) tick();
      else firstRound = setTimeout(tick, options.firstRoundAfterMs).unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(firstRound);
      await running;
    },
  };
}
