import { sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/client.ts';
import type { ClaimedDelivery } from './claim.ts';
import { disableEndpoint } from './disable-endpoint.ts';
import { clampRetryAfter, parseRetryAfter, retryDelay, type Random } from './schedule.ts';
import { DISABLE_AFTER_FAILING_MS, DAY } from './vocabulary.ts';

/** What one attempt came to: an HTTP answer, or an error before any answer (refused, timeout, connection). */
export type AttemptOutcome = { kind: 'response'; status: number; retryAfter: string | null; body: string; durationMs: number } | { kind: 'error'; error: string; durationMs: number };

/** One claimed delivery and what its attempt came to. */
export interface SentDelivery {
  claimed: ClaimedDelivery;
  outcome: AttemptOutcome;
}

/**
 * A success is written to the endpoint's row only when it changes something: the failure record
 * is cleared, or last_success_at is older than this. Busy endpoints are not a lock queue.
 */
export const LAST_SUCCESS_RESOLUTION_MS = 1000;

const succeeded = (outcome: AttemptOutcome) => outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;

function describeFailure(outcome: AttemptOutcome): string {
  if (outcome.kind === 'error') return outcome.error;
  if (outcome.status >= 300 && outcome.status < 400) return `Answered ${outcome.status}: redirects are not followed.`;
  return `Answered ${outcome.status}.`;
}

/** Text PostgreSQL can store and JSON can carry: no NUL bytes, no lone UTF-16 surrogates. */
const storable = (text: string) => text.replaceAll('\u0000', '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** When a failed scheduled attempt is tried again, or null when the schedule is spent or retrying is pointless. */
function nextAttemptAt(claimed: ClaimedDelivery, outcome: AttemptOutcome, now: Date, random: Random): Date | null {
  if (claimed.delivery.trigger === 'manual') return null; // a resend that fails is not rescheduled
  if (outcome.kind === 'response' && outcome.status === 410) return null;
  const delay = retryDelay(claimed.delivery.attempts, random);
  if (delay === null) return null;
  const retryAfter = outcome.kind === 'response' && (outcome.status === 429 || outcome.status === 503) ? parseRetryAfter(outcome.retryAfter, now) : null;
  return new Date(now.getTime() + (retryAfter === null ? delay : clampRetryAfter(retryAfter, delay)));
}

/** The row one outcome writes to the attempt and the delivery. */
function planRow({ claimed, outcome }: SentDelivery, now: Date, random: Random) {
  const ok = succeeded(outcome);
  const next = ok ? null : nextAttemptAt(claimed, outcome, now, random);
  return {
    attempt_id: claimed.attemptId,
    delivery_id: claimed.delivery.id,
    claim_token: claimed.delivery.claimToken,
    status: ok ? 'succeeded' : next ? 'pending' : 'failed',
    attempt_status: ok ? 'succeeded' : 'failed',
    response_status: outcome.kind === 'response' ? outcome.status : null,
    response_body: outcome.kind === 'response' ? storable(outcome.body) : null,
    duration_ms: Math.round(outcome.durationMs),
    error: ok ? null : storable(describeFailure(outcome)).slice(0, 1000),
    next_attempt_at: next?.toISOString() ?? null,
    succeeded: ok,
  };
}

/**
 * Writes the outcomes of a round in one transaction, with a constant number of statements
 * whatever its size: every attempt in the log; every delivery (done only on a 2xx; otherwise
 * rescheduled or failed), only while this dispatcher still holds its lease (claim_token); and each
 * endpoint's failure record at most once, only when it changes. A round in which an endpoint
 * succeeded at least once counts as a success for it. 410 Gone, or 5 days of failure with no
 * success, disables the endpoint (with its event) in the same transaction.
 */
export async function recordOutcomes(db: Database, sent: SentDelivery[], now: Date, random: Random): Promise<void> {
  if (sent.length === 0) return;
  const rows = sent.map((item) => planRow(item, now, random));
  const endpoints = new Map<string, { id: string; ok: boolean; gone: boolean }>();
  for (const [i, { claimed, outcome }] of sent.entries()) {
    const entry = endpoints.get(claimed.endpoint.id) ?? { id: claimed.endpoint.id, ok: false, gone: false };
    entry.ok ||= rows[i]!.succeeded;
    entry.gone ||= outcome.kind === 'response' && outcome.status === 410;
    endpoints.set(entry.id, entry);
  }
  // Sorted, and locked in that order below: two dispatchers touching the same endpoints never deadlock.
  const ordered = [...endpoints.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const at = now.toISOString();
  const successBefore = new Date(now.getTime() - LAST_SUCCESS_RESOLUTION_MS).toISOString();
  const failingCutoff = new Date(now.getTime() - DISABLE_AFTER_FAILING_MS).toISOString();

  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    // Every data-modifying WITH runs to completion whether or not the final SELECT reads it.
    const stale = await selectRows<{ id: string; failing_since_ms: number }>(
      tx,
      sql`with v as (
            select * from json_to_recordset(${JSON.stringify(rows)}::json) as v(
              attempt_id uuid, delivery_id uuid, claim_token uuid, status text, attempt_status text, response_status int,
              response_body text, duration_ms int, error text, next_attempt_at timestamptz, succeeded boolean)
          ),
          attempts as (
            update webhook_attempts a
            set status = v.attempt_status, response_status = v.response_status, response_body = v.response_body,
                duration_ms = v.duration_ms, error = v.error, next_attempt_at = v.next_attempt_at
            from v where a.id = v.attempt_id
            returning a.id
          ),
          deliveries as (
            update webhook_deliveries d
            set status = v.status, next_attempt_at = v.next_attempt_at, claimed_until = null, claim_token = null,
                last_response_status = v.response_status, last_error = v.error, updated_at = ${at}::timestamptz,
                succeeded_at = case when v.succeeded then ${at}::timestamptz else d.succeeded_at end
            from v where d.id = v.delivery_id and d.claim_token = v.claim_token
            returning d.id
          ),
          e as (select * from json_to_recordset(${JSON.stringify(ordered)}::json) as e(id uuid, ok boolean)),
          changing as (
            select w.id from webhook_endpoints w join e on e.id = w.id
            where case when e.ok then w.failing_since is not null or w.last_success_at is null or w.last_success_at < ${successBefore}::timestamptz
                       else w.failing_since is null end
            order by w.id
            for update of w
          ),
          endpoints as (
            update webhook_endpoints w
            set failing_since = case when e.ok then null else coalesce(w.failing_since, ${at}::timestamptz) end,
                last_success_at = case when e.ok then ${at}::timestamptz else w.last_success_at end
            from changing, e where w.id = changing.id and e.id = changing.id
            returning w.id
          )
          select w.id, (extract(epoch from w.failing_since) * 1000)::float8 as failing_since_ms from webhook_endpoints w join e on e.id = w.id
          where not e.ok and w.enabled and w.failing_since <= ${failingCutoff}::timestamptz
          order by w.id`,
    );

    for (const endpoint of ordered) {
      if (endpoint.gone) await disableEndpoint(tx, endpoint.id, 'The endpoint answered 410 Gone.', now);
    }
    for (const row of stale) {
      if (endpoints.get(row.id)?.gone) continue;
      const failingSince = new Date(Math.round(Number(row.failing_since_ms)));
      const days = Math.floor((now.getTime() - failingSince.getTime()) / DAY);
      // Only if the record still says so: a success another dispatcher committed meanwhile wins.
      await disableEndpoint(tx, row.id, `Every attempt failed for ${days} days, since ${failingSince.toISOString()}, with no success between.`, now, { failingSince });
    }
  });
}

/**
 * Writes a round's outcomes in one transaction; if that fails (one unwritable row, say), each
 * outcome is tried on its own so the others still land. An outcome that cannot be written at all
 * is reported: its lease runs out and a later round sends it again.
 */
export async function recordRound(db: Database, sent: SentDelivery[], now: Date, random: Random, onError: (error: unknown) => void): Promise<void> {
  try {
    await recordOutcomes(db, sent, now, random);
  } catch (error) {
    if (sent.length === 1) return onError(error);
    for (const item of sent) {
      try {
        await recordOutcomes(db, [item], now, random);
      } catch (single) {
        onError(single);
      }
    }
  }
}
