import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { RETRY_AFTER_UNREACHABLE } from '../domain/bind-use-cases.ts';
import { problemFor, sendProblem } from './problems.ts';

export interface HealthOptions {
  /** Database reachable and every migration applied. */
  isReady: () => Promise<boolean>;
  /** Seconds /ready waits for the database before it answers 503 (READY_TIMEOUT). */
  timeout: number;
}

export async function healthRoutes(app: FastifyInstance, { isReady, timeout }: HealthOptions) {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    // A database that does not answer is not ready: the check gives up after its own timeout.
    const late = new AbortController();
    const ready = await Promise.race([isReady().catch(() => false), sleep(timeout * 1000, false, { signal: late.signal }).catch(() => false)]);
    late.abort();
    if (!ready) return sendProblem(reply, problemFor('UNAVAILABLE', 'The database is unreachable or not migrated.', request.url, { retryAfter: RETRY_AFTER_UNREACHABLE }));
    return { status: 'ready' };
  });
}
