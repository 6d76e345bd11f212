import type { FastifyInstance } from 'fastify';
import { RETRY_AFTER_UNREACHABLE } from '../domain/bind-use-cases.ts';
import { problemFor, sendProblem } from './problems.ts';

export interface HealthOptions {
  /** Database reachable and every migration applied. */
  isReady: () => Promise<boolean>;
}

export async function healthRoutes(app: FastifyInstance, { isReady }: HealthOptions) {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const ready = await isReady().catch(() => false);
    if (!ready) return sendProblem(reply, problemFor('UNAVAILABLE', 'The database is unreachable or not migrated.', request.url, { retryAfter: RETRY_AFTER_UNREACHABLE }));
    return { status: 'ready' };
  });
}
