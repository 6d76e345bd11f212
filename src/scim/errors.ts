import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_TABLE, codeOfFrameworkError, type ErrorCode } from '../domain/errors.ts';
import { SCHEMA, SCIM_CONTENT_TYPE } from './schemas.ts';

/** RFC 7644 §3.12 `scimType` values. */
export type ScimType = 'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

/** A refusal the SCIM transport itself makes (a body that is no SCIM resource, a bad PATCH). */
export class ScimRefusal extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    message: string,
  ) {
    super(message);
  }
}

export const invalidSyntax = (message: string) => new ScimRefusal(400, 'invalidSyntax', message);
export const invalidValue = (message: string) => new ScimRefusal(400, 'invalidValue', message);

// The status comes from the one error table (domain/errors.ts); SCIM only adds its scimType.
const SCIM_TYPES: Partial<Record<ErrorCode, ScimType>> = { BAD_USER_INPUT: 'invalidValue', CONFLICT: 'uniqueness' };

export interface ScimErrorAnswer {
  status: number;
  scimType?: ScimType;
  detail: string;
  /** Seconds to wait before sending again (503), also sent as Retry-After. */
  retryAfter?: number;
}

export function scimErrorOf(error: unknown): ScimErrorAnswer | undefined {
  if (error instanceof ScimRefusal) return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.message };
  if (error instanceof DomainError) {
    const scimType = error.details.reason === 'INVALID_FILTER' ? 'invalidFilter' : SCIM_TYPES[error.code];
    const errors = ((error.details.errors as { path: string; message: string }[] | undefined) ?? []).filter((e) => e.message !== error.message);
    const detail = errors.length ? `${error.message} ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` : error.message;
    const retryAfter = typeof error.details.retryAfter === 'number' ? { retryAfter: error.details.retryAfter } : {};
    return { status: ERROR_TABLE[error.code].status, ...(scimType ? { scimType } : {}), detail, ...retryAfter };
  }
  const code = codeOfFrameworkError(error as FastifyError);
  if (code) return { status: ERROR_TABLE[code].status, ...(code === 'BAD_USER_INPUT' ? { scimType: 'invalidSyntax' as const } : {}), detail: (error as Error).message };
  return undefined;
}

/** RFC 7644 §3.12: status is the HTTP status as a JSON string. */
export const scimErrorDocument = (error: ScimErrorAnswer) => ({
  schemas: [SCHEMA.error],
  status: String(error.status),
  ...(error.scimType ? { scimType: error.scimType } : {}),
  detail: error.detail,
});

export function sendScimError(reply: FastifyReply, error: ScimErrorAnswer): FastifyReply {
  if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
  return reply.code(error.status).type(SCIM_CONTENT_TYPE).send(scimErrorDocument(error));
}

/** Answers made before any route (rest/edge-answers.ts) take SCIM's shape under its prefix. */
export const scimEdgeAnswer = (prefix: string) => (path: string, status: number, detail: string) =>
  path === prefix || path.startsWith(`${prefix}/`)
    ? { contentType: SCIM_CONTENT_TYPE, body: scimErrorDocument({ status, ...(status === 400 ? { scimType: 'invalidSyntax' as const } : {}), detail }) }
    : undefined;

/** The SCIM context's error handler: every refusal leaves as a SCIM error document, never a stack. */
export function handleScimError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const known = scimErrorOf(error);
  if (known) return sendScimError(reply, known);
  request.log.error({ err: error }, 'unhandled error');
  return sendScimError(reply, { status: 500, detail: `An unexpected error occurred; quote request id ${request.id}.` });
}
