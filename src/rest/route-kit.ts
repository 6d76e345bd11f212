import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DomainError, ERROR_TABLE, type ErrorCode } from '../domain/errors.ts';

export const ProblemSchema = z
  .looseObject({
    type: z.string().meta({ example: '/problems/transition-blocked' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().meta({ example: 'TRANSITION_BLOCKED' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem document. Extensions: allowed, blockers, report, currentVersion, relationshipStatus, retryAfter (seconds, also sent as Retry-After).' });

// Any operation can be refused for bad input, a missing token, or a role or scope it lacks, and
// answer 503 (with Retry-After) while the database is unreachable.
const COMMON: ErrorCode[] = ['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE'];

/** The problem responses of an operation, for its OpenAPI description. */
export function problems(...codes: ErrorCode[]): Record<number, typeof ProblemSchema> {
  const responses: Record<number, typeof ProblemSchema> = {};
  for (const code of [...COMMON, ...codes]) responses[ERROR_TABLE[code].status] = ProblemSchema;
  return responses;
}

/** The refusals of a POST on a relationship's work (goals, tasks, readings, sessions): unseen, ended, or an Idempotency-Key clash. */
export const WORK_PROBLEMS = problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE');

export const IdParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }) });

/** Headers of a conditional change; other headers pass through untouched. */
export const IfMatchHeaders = z.looseObject({
  'if-match': z.string().max(100).optional().meta({ description: 'The ETag (version) you last read; a mismatch answers 412.' }),
});
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().min(1).max(255).optional().meta({ description: 'Retries with the same key replay the first response.' }),
});
export const PostChangeHeaders = IfMatchHeaders.extend(IdempotencyHeaders.shape);

/** `If-Match: "7"` (or `W/"7"`) → 7; absent → undefined; `*` → undefined. */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new DomainError('BAD_USER_INPUT', 'If-Match must be an ETag this API issued, such as "3".', {
      errors: [{ path: 'headers.if-match', message: 'must be a quoted version such as "3"' }],
    });
  }
  return Number(match[1]);
}

export const withEtag = <T extends { version: number }>(reply: FastifyReply, resource: T): T => {
  reply.header('etag', `"${resource.version}"`);
  return resource;
};

export function created<T>(reply: FastifyReply, location: string, body: T): T {
  reply.code(201).header('location', location);
  return body;
}
