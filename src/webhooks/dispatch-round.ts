import type { Database } from '../db/client.ts';
import type { Clock } from '../domain/context.ts';
import { claimDue, type ClaimedDelivery } from './claim.ts';
import { ensureFanOutCursor, fanOut } from './fan-out.ts';
import { pruneDeliveries } from './prune.ts';
import { recordOutcome } from './record-outcome.ts';
import { releaseDelivery } from './release-delivery.ts';
import type { Random } from './schedule.ts';
import { sendDelivery } from './send-delivery.ts';
import type { Sender } from './sender.ts';
import type { UrlGuardOptions } from './url-guard.ts';

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

const PRUNE_EVERY_MS = 3600_000;

/** One round of dispatch: fan new events out, claim what is due, send it, record each outcome. */
export function createRound(deps: RoundDeps): () => Promise<RoundResult> {
  const { db, clock } = deps;
  let cursorReady = false;
  let nextPruneAt = 0;

  async function deliver(claimed: ClaimedDelivery): Promise<void> {
    const outcome = await sendDelivery(claimed, { clock, sender: deps.sender, guard: deps.guard, stopping: deps.stopping, ...(deps.timeoutMs ? { timeoutMs: deps.timeoutMs } : {}) });
    if (outcome.kind === 'error' && deps.stopping.aborted) await releaseDelivery(db, claimed, clock(), outcome.durationMs);
    else await recordOutcome(db, claimed, outcome, clock(), deps.random);
  }

  return async () => {
    if (!cursorReady) {
      await ensureFanOutCursor(db);
      cursorReady = true;
    }
    if (clock().getTime() >= nextPruneAt) {
      await pruneDeliveries(db, clock());
      nextPruneAt = clock().getTime() + PRUNE_EVERY_MS;
    }
    const fannedOut = await fanOut(db, clock());
    const claimed = await claimDue(db, { now: clock(), leaseMs: deps.leaseMs, limit: deps.batchSize });
    const results = await Promise.allSettled(claimed.map(deliver));
    // An outcome that could not be written: the lease runs out and a later round sends it again.
    for (const result of results) if (result.status === 'rejected') deps.onError(result.reason);
    return { fannedOut, sent: claimed.length };
  };
}
