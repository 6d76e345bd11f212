import type { Database } from '../db/client.ts';
import type { Clock } from '../domain/context.ts';
import { statementRequest } from '../delivery/xapi/statement-request.ts';
import type { ClaimedDelivery } from './claim.ts';
import { messageBody } from './message.ts';
import type { AttemptOutcome } from './record-outcome.ts';
import type { Sender } from './sender.ts';
import { webhookHeaders } from './signing.ts';
import { checkWebhookUrl, type UrlGuardOptions, type UrlVerdict } from './url-guard.ts';
import { SEND_TIMEOUT_MS } from './vocabulary.ts';

export interface SendDeps {
  clock: Clock;
  sender: Sender;
  guard: UrlGuardOptions;
  /** Aborted when the dispatcher stops for good. */
  stopping: AbortSignal;
  timeoutMs?: number;
  /** The URL guard, shared by the sends of a round (one lookup per URL); checkWebhookUrl with `guard` by default. */
  check?: (url: string) => Promise<UrlVerdict>;
  /** Where an xAPI statement reads the pair it names (channel `xapi`). */
  db?: Database;
}

type Outbound = { ok: true; url: string; headers: Record<string, string>; body: string } | { ok: false; error: string };

/** What a channel sends for a delivery: a signed Standard Webhooks message, or an LRS's validated statements. */
async function outbound(claimed: ClaimedDelivery, deps: SendDeps, now: Date): Promise<Outbound> {
  if (claimed.endpoint.channel === 'xapi') {
    if (!deps.db) return { ok: false, error: 'No database to build statements from.' };
    return statementRequest(deps.db, claimed.endpoint, claimed.event);
  }
  const message = { id: claimed.event.id, timestamp: Math.floor(now.getTime() / 1000), body: messageBody(claimed.event, claimed.endpoint) };
  const headers = webhookHeaders(message, signingSecrets(claimed.endpoint, now));
  // The trace of the request that made the event, so the receiver's spans join it (W3C Trace Context).
  if (claimed.event.traceparent) headers.traceparent = claimed.event.traceparent;
  return { ok: true, url: claimed.endpoint.url, headers, body: message.body };
}

/** The secrets that sign now: the current one, and the previous one during its 24 h overlap. */
export function signingSecrets(endpoint: ClaimedDelivery['endpoint'], now: Date): string[] {
  const overlap = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return overlap ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/**
 * One POST (signed, or statements); the URL guard runs again first, so an address that turned private is never
 * reached. One deadline covers the whole attempt: the guard's DNS lookup, connect, headers and
 * body. The sender is handed the deadline's signal (it aborts the request), and the attempt is
 * also raced against it, so nothing a receiver or a resolver does can stretch an attempt past it.
 */
export async function sendDelivery(claimed: ClaimedDelivery, deps: SendDeps): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const timeoutMs = deps.timeoutMs ?? SEND_TIMEOUT_MS;
  // A timer of our own, not AbortSignal.timeout: that one's timer does not keep the process
  // alive, so an attempt stuck on nothing else would never reach its deadline.
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const deadline = AbortSignal.any([timeout.signal, deps.stopping]);
  try {
    const outcome = await beforeDeadline(deadline, attempt(claimed, deps, deadline));
    return { ...outcome, durationMs: elapsed() };
  } catch (error) {
    return { kind: 'error', error: describeError(error, timeoutMs), durationMs: elapsed() };
  } finally {
    clearTimeout(timer);
  }
}

type Outcome<T = AttemptOutcome> = T extends unknown ? Omit<T, 'durationMs'> : never;

async function attempt(claimed: ClaimedDelivery, deps: SendDeps, signal: AbortSignal): Promise<Outcome> {
  const verdict = await (deps.check ? deps.check(claimed.endpoint.url) : checkWebhookUrl(claimed.endpoint.url, deps.guard));
  if (!verdict.ok) return { kind: 'error', error: `Refused before sending: the URL ${verdict.reason}.` };
  signal.throwIfAborted(); // the guard took the whole deadline: no request at all
  const request = await outbound(claimed, deps, deps.clock());
  if (!request.ok) return { kind: 'error', error: request.error };
  signal.throwIfAborted();
  const response = await deps.sender({ url: request.url, headers: request.headers, body: request.body, signal });
  return { kind: 'response', ...response };
}

/** The work's result, or the signal's reason as soon as it aborts, whichever comes first. */
function beforeDeadline<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { name?: string } }).cause;
    if (error.name === 'TimeoutError' || cause?.name === 'TimeoutError') return `No answer within ${timeoutMs / 1000} s.`;
    if (error.name === 'AbortError') return 'Aborted: the dispatcher was stopping.';
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
