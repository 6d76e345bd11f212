import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from '../db/schema.ts';
import type { ClaimedDelivery } from './claim.ts';
import { disableEndpoint } from './disable-endpoint.ts';
import { clampRetryAfter, parseRetryAfter, retryDelay, type Random } from './schedule.ts';
import { DISABLE_AFTER_FAILING_MS, DAY } from './vocabulary.ts';

/** What one attempt came to: an HTTP answer, or an error before any answer (refused, timeout, connection). */
export type AttemptOutcome = { kind: 'response'; status: number; retryAfter: string | null; body: string; durationMs: number } | { kind: 'error'; error: string; durationMs: number };

const succeeded = (outcome: AttemptOutcome) => outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300;

function describeFailure(outcome: AttemptOutcome): string {
  if (outcome.kind === 'error') return outcome.error;
  if (outcome.status >= 300 && outcome.status < 400) return `Answered ${outcome.status}: redirects are not followed.`;
  return `Answered ${outcome.status}.`;
}

/** When a failed scheduled attempt is tried again, or null when the schedule is spent or retrying is pointless. */
function nextAttemptAt(claimed: ClaimedDelivery, outcome: AttemptOutcome, now: Date, random: Random): Date | null {
  if (claimed.delivery.trigger === 'manual') return null; // a resend that fails is not rescheduled
  if (outcome.kind === 'response' && outcome.status === 410) return null;
  const delay = retryDelay(claimed.delivery.attempts, random);
  if (delay === null) return null;
  const retryAfter = outcome.kind === 'response' && (outcome.status === 429 || outcome.status === 503) ? parseRetryAfter(outcome.retryAfter, now) : null;
  return new Date(now.getTime() + (retryAfter === null ? delay : clampRetryAfter(retryAfter, delay)));
}

/**
 * Writes the outcome of one attempt: the attempt in the log, the delivery (done only on a 2xx;
 * otherwise rescheduled or failed), and the endpoint's failure record, which may disable it.
 * The delivery is updated only while this dispatcher still holds its lease (claim_token).
 */
export async function recordOutcome(db: Database, claimed: ClaimedDelivery, outcome: AttemptOutcome, now: Date, random: Random): Promise<void> {
  const ok = succeeded(outcome);
  const next = ok ? null : nextAttemptAt(claimed, outcome, now, random);
  const response = outcome.kind === 'response' ? { status: outcome.status, body: outcome.body.replaceAll('\u0000', '') } : null;
  const error = ok ? null : describeFailure(outcome).slice(0, 1000);
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Database;
    await tx
      .update(webhookAttempts)
      .set({
        status: ok ? 'succeeded' : 'failed',
        responseStatus: response?.status ?? null,
        responseBody: response?.body ?? null,
        durationMs: Math.round(outcome.durationMs),
        error,
        nextAttemptAt: next,
      })
      .where(eq(webhookAttempts.id, claimed.attemptId));
    await tx
      .update(webhookDeliveries)
      .set({
        status: ok ? 'succeeded' : next ? 'pending' : 'failed',
        nextAttemptAt: next,
        claimedUntil: null,
        claimToken: null,
        lastResponseStatus: response?.status ?? null,
        lastError: error,
        updatedAt: now,
        ...(ok ? { succeededAt: now } : {}),
      })
      .where(and(eq(webhookDeliveries.id, claimed.delivery.id), eq(webhookDeliveries.claimToken, claimed.delivery.claimToken!)));

    const endpointId = claimed.endpoint.id;
    if (ok) {
      await tx.update(webhookEndpoints).set({ failingSince: null, lastSuccessAt: now }).where(eq(webhookEndpoints.id, endpointId));
      return;
    }
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning({ failingSince: webhookEndpoints.failingSince });
    if (!endpoint) return; // deleted while we were sending
    if (response?.status === 410) {
      await disableEndpoint(tx, endpointId, 'The endpoint answered 410 Gone.', now);
    } else if (endpoint.failingSince && now.getTime() - endpoint.failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) {
      const days = Math.floor((now.getTime() - endpoint.failingSince.getTime()) / DAY);
      await disableEndpoint(tx, endpointId, `Every attempt failed for ${days} days, since ${endpoint.failingSince.toISOString()}, with no success between.`, now);
    }
  });
}
