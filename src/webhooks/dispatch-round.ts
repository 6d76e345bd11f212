import type { Database } from '../db/client.ts';
import type { Clock } from '../domain/context.ts';
import { claimDue, type ClaimedDelivery } from './claim.ts';
import { createFanOut, ensureFanOutCursor } from './fan-out.ts';
import { pruneDeliveries } from './prune.ts';
import { recordRound, type SentDelivery } from './record-outcome.ts';
import { releaseDeliveries } from './release-delivery.ts';
import type { Random } from './schedule.ts';
import { sendDelivery } from './send-delivery.ts';
import type { Sender } from './sender.ts';
import { checkWebhookUrl, type UrlGuardOptions, type UrlVerdict } from './url-guard.ts';

export interface RoundDeps {
  db: Database;
  clock: Clock;
  random: Random;
  sender: Sender;
  guard: UrlGuardOptions;
  leaseMs: number;
  batchSize: number;
  timeoutMs?: number;
  /** Aborted when the dispatcher stops: sends in flight are cut short and handed back. */
  stopping: AbortSignal;
  onError: (error: unknown) => void;
}

export interface RoundResult {
  fannedOut: number;
  sent: number;
}

export interface Pipeline {
  /** One round: fan new events out, claim up to a batch, send it, and return once every outcome is written. */
  run(): Promise<RoundResult>;
  /**
   * Fans out and claims up to `limit`, starts the sends and returns without waiting for them.
   * Outcomes are written as they come in, a group at a time.
   */
  start(limit: number): Promise<RoundResult>;
  /** Deliveries claimed whose outcome is not written yet. */
  inFlight(): number;
  /** Resolves the next time a delivery in flight is done with. */
  freed(): Promise<void>;
  /** Resolves once nothing is in flight and every outcome is written. */
  idle(): Promise<void>;
}

const PRUNE_EVERY_MS = 3600_000;
/** Outcomes wait this long for company before they are written... */
const WRITE_LINGER_MS = 5;
/** ...unless this many are waiting already. */
const WRITE_AT = 100;

interface Waiting {
  sent: SentDelivery;
  /** Cut short by the dispatcher stopping: handed back rather than recorded as the receiver's failure. */
  released: boolean;
  written: () => void;
}

/**
 * Dispatch as a pipeline: claims fan out and claim a batch at a time; each send runs on its own;
 * outcomes are written in groups, one write at a time, in one transaction of a constant number of
 * statements per group. A slow receiver holds only its own deliveries: the others' outcomes are
 * written, and new work claimed, while it is still answering.
 */
export function createPipeline(deps: RoundDeps): Pipeline {
  const { db, clock } = deps;
  const fanOut = createFanOut();
  let cursorReady = false;
  let nextPruneAt = 0;
  let waiting: Waiting[] = [];
  let writing = false;
  let linger: NodeJS.Timeout | null = null;
  let inFlight = 0;
  let onFreed: (() => void)[] = [];

  async function write(group: Waiting[]): Promise<void> {
    const recorded = group.filter((entry) => !entry.released).map((entry) => entry.sent);
    const released = group.filter((entry) => entry.released).map(({ sent }) => ({ claimed: sent.claimed, durationMs: sent.outcome.durationMs }));
    await recordRound(db, recorded, clock(), deps.random, deps.onError);
    if (released.length) await releaseDeliveries(db, released, clock()).catch(deps.onError);
  }

  function flush(): void {
    if (linger) clearTimeout(linger);
    linger = null;
    if (writing || waiting.length === 0) return;
    writing = true;
    void (async () => {
      // What arrives during a write goes in the next one, at once.
      while (waiting.length) {
        const group = waiting;
        waiting = [];
        await write(group).catch(deps.onError);
        for (const entry of group) entry.written();
      }
      writing = false;
    })();
  }

  function enqueue(entry: Waiting): void {
    waiting.push(entry);
    if (writing) return;
    if (waiting.length >= WRITE_AT) flush();
    else linger ??= setTimeout(flush, WRITE_LINGER_MS);
  }

  function done(): void {
    inFlight--;
    const waiters = onFreed;
    onFreed = [];
    for (const wake of waiters) wake();
  }

  async function deliver(claimed: ClaimedDelivery, verdicts: Map<string, Promise<UrlVerdict>>): Promise<void> {
    try {
      // The URL guard once per URL and claim, not once per delivery (one DNS lookup, not hundreds).
      const check = (url: string) => {
        let verdict = verdicts.get(url);
        if (!verdict) verdicts.set(url, (verdict = checkWebhookUrl(url, deps.guard)));
        return verdict;
      };
      const outcome = await sendDelivery(claimed, { db, clock, sender: deps.sender, guard: deps.guard, check, stopping: deps.stopping, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
      const released = outcome.kind === 'error' && deps.stopping.aborted;
      await new Promise<void>((written) => enqueue({ sent: { claimed, outcome }, released, written }));
    } catch (error) {
      // A send that threw is not recorded: its lease runs out and a later round sends it again.
      deps.onError(error);
    } finally {
      done();
    }
  }

  async function claimAndSend(limit: number): Promise<RoundResult & { done: Promise<unknown> }> {
    if (!cursorReady) {
      await ensureFanOutCursor(db);
      cursorReady = true;
    }
    if (clock().getTime() >= nextPruneAt) {
      await pruneDeliveries(db, clock());
      nextPruneAt = clock().getTime() + PRUNE_EVERY_MS;
    }
    const fannedOut = await fanOut(db, clock());
    if (limit <= 0) return { fannedOut, sent: 0, done: Promise.resolve() };
    const claimed = await claimDue(db, { now: clock(), leaseMs: deps.leaseMs, limit });
    inFlight += claimed.length;
    const verdicts = new Map<string, Promise<UrlVerdict>>();
    return { fannedOut, sent: claimed.length, done: Promise.all(claimed.map((item) => deliver(item, verdicts))) };
  }

  const freed = () => new Promise<void>((resolve) => onFreed.push(resolve));

  return {
    async run() {
      const { done: finished, ...result } = await claimAndSend(deps.batchSize);
      await finished;
      return result;
    },
    async start(limit) {
      const { fannedOut, sent } = await claimAndSend(limit);
      return { fannedOut, sent };
    },
    inFlight: () => inFlight,
    freed,
    async idle() {
      while (inFlight > 0) await freed();
    },
  };
}
