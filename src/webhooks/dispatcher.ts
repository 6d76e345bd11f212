import type { DatabaseHandle } from '../db/client.ts';
import type { EventFeed } from '../db/event-feed.ts';
import { systemClock, type Clock } from '../domain/context.ts';
import { createPipeline, type RoundResult } from './dispatch-round.ts';
import { createHttpSender } from './http-sender.ts';
import { WORK_CHANNEL } from './notify-work.ts';
import type { Random } from './schedule.ts';
import type { Sender } from './sender.ts';
import type { UrlGuardOptions } from './url-guard.ts';

/**
 * The most deliveries one dispatcher claims at once and has in flight. A claim, and a write of
 * outcomes, cost a constant number of statements, so larger batches mean fewer per delivery;
 * they also mean more requests in flight at once.
 */
export const DEFAULT_BATCH_SIZE = 200;

export interface DispatcherLogger {
  error(object: object, message: string): void;
}

export interface DispatcherOptions {
  database: Pick<DatabaseHandle, 'db' | 'listen'>;
  guard: UrlGuardOptions;
  clock?: Clock;
  random?: Random;
  sender?: Sender;
  /** Committed domain events wake the dispatcher at once; polling is the fallback. */
  eventFeed?: Pick<EventFeed, 'subscribe'>;
  pollMs?: number;
  /** When the first claim runs after `start()`; at once unless given. Committed events wake it sooner. */
  firstRoundAfterMs?: number;
  /** How long a claimed delivery stays this dispatcher's; longer than the send timeout. */
  leaseMs?: number;
  /** At most this many deliveries claimed at once and in flight (DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  timeoutMs?: number;
  /** How long stop() lets in-flight sends finish before aborting them (they are then handed back). */
  stopGraceMs?: number;
  logger?: DispatcherLogger;
  /** Hears how long each claim round took, in seconds (/metrics). */
  onRound?: (seconds: number) => void;
}

export type RunResult = RoundResult;

export interface Dispatcher {
  /** One round: fan new events out, claim what is due, send it, record the outcomes (written when it returns). */
  runOnce(): Promise<RunResult>;
  /** Rounds until nothing is due at the clock's current time (tests drive time through the clock). */
  drain(maxRounds?: number): Promise<RunResult>;
  start(): Promise<void>;
  /** Asks for a claim soon; claims never overlap within one dispatcher (sends and writes do). */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * The claim loop: claims on demand (a committed event, queued manual work) and every `pollMs`,
 * never two at once in one dispatcher, with at most `batchSize` deliveries in flight; any number of
 * dispatchers may share the database. A new claim is made once half the batch is done with, so
 * the next deliveries are sent while earlier outcomes are still being written.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const logger = options.logger ?? { error: () => {} };
  const stopping = new AbortController();
  const pipeline = createPipeline({
    db: options.database.db,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    sender: options.sender ?? createHttpSender({ allowPrivateUrls: options.guard.allowPrivateUrls }),
    guard: options.guard,
    leaseMs: options.leaseMs ?? 60_000,
    batchSize,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    stopping: stopping.signal,
    onError: (error) => logger.error({ err: error }, 'webhook delivery could not be recorded; it is sent again after its lease'),
  });
  const runOnce = pipeline.run;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const cleanups: (() => unknown)[] = [];

  async function drain(maxRounds = 1000): Promise<RunResult> {
    const total = { fannedOut: 0, sent: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const result = await runOnce();
      total.fannedOut += result.fannedOut;
      total.sent += result.sent;
      if (result.fannedOut === 0 && result.sent === 0) return total;
    }
    throw new Error(`the dispatcher still had work after ${maxRounds} rounds`);
  }

  /** Claims back to back while there is work and room: sends already in flight go on meanwhile. */
  async function loop(): Promise<void> {
    do {
      again = false;
      try {
        while (pipeline.inFlight() > batchSize / 2 && !stopped) await pipeline.freed();
        if (stopped) return;
        const limit = batchSize - pipeline.inFlight();
        const began = performance.now();
        const result = await pipeline.start(limit);
        options.onRound?.((performance.now() - began) / 1000);
        if (result.fannedOut > 0 || result.sent === limit) again = true;
      } catch (error) {
        logger.error({ err: error }, 'webhook dispatch round failed; retrying at the next poll');
      }
    } while (again && !stopped);
  }

  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  }

  async function start(): Promise<void> {
    cleanups.push(await options.database.listen(WORK_CHANNEL, wake));
    if (options.eventFeed) cleanups.push(options.eventFeed.subscribe(wake));
    const timer = setInterval(wake, options.pollMs ?? 1000);
    timer.unref();
    cleanups.push(() => clearInterval(timer));
    if (options.firstRoundAfterMs === undefined) wake();
    else {
      const firstRound = setTimeout(wake, options.firstRoundAfterMs).unref();
      cleanups.push(() => clearTimeout(firstRound));
    }
  }

  async function stop(): Promise<void> {
    stopped = true;
    for (const cleanup of cleanups.splice(0)) await cleanup();
    // The claim loop ends at once; sends in flight get the grace period, then are cut short and handed back.
    const current = (async () => {
      await running; // a claim under way may still start sends
      await pipeline.idle();
    })();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.stopGraceMs ?? 10_000);
    });
    await Promise.race([current, grace]);
    clearTimeout(timer);
    stopping.abort();
    await current;
  }

  return { runOnce, drain, start, wake, stop };
}
