import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { DomainError } from '../domain/errors.ts';
import type { Idempotency } from '../domain/services.ts';
import type { Faults } from './faults.ts';
import { PROBLEM_CONTENT_TYPE, problemOf } from './problems.ts';

const REPLAYED_HEADERS = ['content-type', 'location', 'etag'];

function keptHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/**
 * Idempotency-Key on POST (IETF httpapi draft): every POST handler is wrapped so that, with a key,
 * it runs inside the domain's idempotent unit (domain/idempotency/run-idempotent.ts): its effect
 * and its response (success or refusal, never a 5xx) commit together, and a retry on any instance
 * gets that response back, marked `Idempotency-Replayed: true`.
 */
export function useIdempotencyKeys(app: FastifyInstance, idempotency: Idempotency, faults: Faults = {}) {
  app.addHook('onRoute', (route) => {
    if (![route.method].flat().includes('POST')) return;
    const handler = route.handler as (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
    route.handler = async function idempotent(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const key = request.headers['idempotency-key'];
      if (typeof key !== 'string') return handler.call(this, request, reply);
      if (key.length === 0 || key.length > 255) {
        throw new DomainError('BAD_USER_INPUT', 'Idempotency-Key must be 1–255 characters.', { errors: [{ path: 'headers.idempotency-key', message: 'must be 1–255 characters' }] });
      }
      const request_ = { key, method: request.method, path: request.url, body: request.body ?? null };
      const result = await idempotency.run(request.actor, request_, async () => {
        try {
          const payload = await handler.call(this, request, reply);
          const body = payload === undefined || payload === null ? '' : String(reply.serialize(payload));
          await faults.beforeCommit?.(request);
          return { refused: false, response: { status: reply.statusCode, headers: keptHeaders(reply), body } };
        } catch (error) {
          const { problem } = problemOf(error, request);
          if (problem.status >= 500) throw error; // not remembered: the retry runs the request again
          return { refused: true, response: { status: problem.status, headers: { 'content-type': PROBLEM_CONTENT_TYPE }, body: JSON.stringify(problem) } };
        }
      });
      await faults.afterCommit?.(request);
      reply.code(result.response.status).headers(result.response.headers);
      if (result.replayed) reply.header('idempotency-replayed', 'true');
      return reply.send(result.response.body);
    } as RouteHandlerMethod;
  });
}
