import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, ERROR_TABLE, type ErrorCode, type FieldError } from '../domain/errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const problemType = (code: ErrorCode) => `/problems/${ERROR_TABLE[code].slug}`;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemFor(code: ErrorCode, detail: string, instance: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = ERROR_TABLE[code];
  return { type: problemType(code), title, status, detail, instance, code, ...extensions };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_USER_INPUT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_USER_INPUT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_USER_INPUT',
  FST_ERR_VALIDATION: 'BAD_USER_INPUT',
  FST_ERR_BAD_URL: 'BAD_USER_INPUT',
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_INVALID: 'UNAUTHENTICATED',
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: 'UNAUTHENTICATED',
  FST_ERR_RATE_LIMITED: 'RATE_LIMITED',
};

function fieldErrors(error: FastifyError): FieldError[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const where = (error as { validationContext?: string }).validationContext ?? 'body';
  return error.validation.map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const keys = (issue.params as { keys?: string[] }).keys;
    const text = issue.message ?? 'is invalid';
    const message = keys?.length ? `${text}: ${keys.join(', ')}` : text;
    return { path: path ? `${where}.${path}` : where, message };
  });
}

/** The one error handler: every failure leaves as RFC 9457 problem+json, never a stack or SQL. */
export function handleError(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply) {
  const instance = request.url;
  if (error instanceof DomainError) {
    return sendProblem(reply, problemFor(error.code, error.message, instance, error.details));
  }
  const errors = fieldErrors(error);
  if (errors.length) {
    return sendProblem(reply, problemFor('BAD_USER_INPUT', `${errors.length} field(s) failed validation.`, instance, { errors }));
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  const status = error.statusCode ?? 500;
  if (known || (status >= 400 && status < 500)) {
    const code = known ?? 'BAD_USER_INPUT';
    if (code === 'RATE_LIMITED' && status === 429) return sendProblem(reply, problemFor(code, error.message, instance));
    return sendProblem(reply, problemFor(code, error.message, instance));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, problemFor('INTERNAL', `An unexpected error occurred; quote request id ${request.id}.`, instance));
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, problemFor('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, request.url));
}
