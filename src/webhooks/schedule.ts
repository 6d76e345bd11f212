import { JITTER, RETRY_DELAYS_MS } from './vocabulary.ts';

/** A number in [0, 1), injected so tests choose the jitter. */
export type Random = () => number;

/**
 * The delay before the next attempt after `attemptsMade` attempts have failed, or null when the
 * schedule is spent. Each delay is spread ±20 % so a receiver that comes back is not hit by every
 * retry at once.
 */
export function retryDelay(attemptsMade: number, random: Random): number | null {
  const base = RETRY_DELAYS_MS[attemptsMade - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** Retry-After (seconds or an HTTP date) in ms, or null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}

/** A receiver's Retry-After is honoured within 1–2× the scheduled delay: never sooner, never much later. */
export const clampRetryAfter = (retryAfterMs: number, scheduledMs: number) => Math.min(Math.max(retryAfterMs, scheduledMs), 2 * scheduledMs);
