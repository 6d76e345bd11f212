import type { Clock } from '../domain/context.ts';
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
}

/** The secrets that sign now: the current one, and the previous one during its 24 h overlap. */
export function signingSecrets(endpoint: ClaimedDelivery['endpoint'], now: Date): string[] {
  const overlap = endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return overlap ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

/** One signed POST; the URL guard runs again first, so an address that turned private is never reached. */
export async function sendDelivery(claimed: ClaimedDelivery, deps: SendDeps): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const verdict = await (deps.check ? deps.check(claimed.endpoint.url) : checkWebhookUrl(claimed.endpoint.url, deps.guard));
  if (!verdict.ok) return { kind: 'error', error: `Refused before sending: the URL ${verdict.reason}.`, durationMs: elapsed() };

  const now = deps.clock();
  const message = { id: claimed.event.id, timestamp: Math.floor(now.getTime() / 1000), body: messageBody(claimed.event) };
  const timeoutMs = deps.timeoutMs ?? SEND_TIMEOUT_MS;
  try {
    const response = await deps.sender({
      url: claimed.endpoint.url,
      headers: webhookHeaders(message, signingSecrets(claimed.endpoint, now)),
      body: message.body,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), deps.stopping]),
    });
    return { kind: 'response', ...response, durationMs: elapsed() };
  } catch (error) {
    return { kind: 'error', error: describeError(error, timeoutMs), durationMs: elapsed() };
  }
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
