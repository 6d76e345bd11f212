import type { TokenSource } from './auth.ts';

export interface RetryOptions {
  /** Further attempts after the first (default 2). 0 turns retrying off. */
  retries?: number;
  /** The longest wait between attempts, Retry-After included (default 5 s). */
  maxDelayMs?: number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The client's fetch: sends the bearer token, fetches a new one once after a 401 (a token that
 * expired or was revoked), and tries again after a network failure, 429, 503, or a 409 telling
 * that the same Idempotency-Key is still running. Only requests that are safe to repeat are tried
 * again: idempotent methods, and POSTs carrying an Idempotency-Key (Tandem replays the first answer).
 */
export function sendingFetch(fetchImpl: typeof fetch, tokens: TokenSource, options: RetryOptions = {}): (request: Request) => Promise<Response> {
  const retries = options.retries ?? 2;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  return async (request) => {
    const repeatable = IDEMPOTENT.has(request.method) || request.headers.has('idempotency-key');
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      const outgoing = request.clone();
      outgoing.headers.set('authorization', `Bearer ${await tokens.token()}`);
      const left = repeatable && attempt < retries;
      let response: Response;
      try {
        response = await fetchImpl(outgoing);
      } catch (error) {
        if (!left) throw error;
        await sleep(backoff(attempt, maxDelayMs));
        continue;
      }
      if (response.status === 401 && tokens.refreshable && !refreshed) {
        refreshed = true;
        tokens.invalidate();
        attempt--;
        continue;
      }
      if (left && (await isTransient(response))) {
        await sleep(Math.min(retryAfterMs(response) ?? backoff(attempt, maxDelayMs), maxDelayMs));
        continue;
      }
      return response;
    }
  };
}

async function isTransient(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status === 503) return true;
  if (response.status !== 409) return false;
  const problem = (await response.clone().json().catch(() => null)) as { code?: string } | null;
  return problem?.code === 'IDEMPOTENCY_KEY_IN_USE';
}

function retryAfterMs(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

// Exponential with full jitter: 0–200 ms, 0–400 ms, … so clients that failed together spread out.
const backoff = (attempt: number, maxDelayMs: number) => Math.random() * Math.min(maxDelayMs, 200 * 2 ** attempt);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
