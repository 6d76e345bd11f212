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

export function scimErrorOf(error: unknown): { status: number; scimType?: ScimType; detail: string } | undefined {
  if (error instanceof ScimRefusal) return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.message };
  if (error instanceof DomainError) {
    const scimType = error.details.reason === 'INVALID_FILTER' ? 'invalidFilter' : SCIM_TYPES[error.code];
    const errors = ((error.details.errors as { path: string; message: string }[] | undefined) ?? []).filter((e) => e.message !== error.message);
    const detail = errors.length ? `${error.message} ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}` : error.message;
    return { status: ERROR_TABLE[error.code].status, ...(scimType ? { scimType } : {}), detail };
  }
  const code = codeOfFrameworkError(error as FastifyError);
  if (code) return { status: ERROR_TABLE[code].status, ...(code === 'BAD_USER_INPUT' ? { scimType: 'invalidSyntax' as const } : {}), detail: (error as Error).message };
  return undefined;
}

export function sendScimError(reply: FastifyReply, error: { status: number; scimType?: ScimType; detail: string }): FastifyReply {
  // RFC 7644 §3.12: status is the HTTP status as a JSON string.
  return reply
    .code(error.status)
    .type(SCIM_CONTENT_TYPE)
    .send({ schemas: [SCHEMA.error], status: String(error.status), ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail });
}

/** The SCIM context's error handler: every refusal leaves as a SCIM error document, never a stack. */
export function handleScimError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const known = scimErrorOf(error);
  if (known) return sendScimError(reply, known);
  request.log.error({ err: error }, 'unhandled error');
  return sendScimError(reply, { status: 500, detail: `An unexpected error occurred; quote request id ${request.id}.` });
}
