import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RETRY_AFTER_UNREACHABLE, asServiceFailure } from '../domain/bind-use-cases.ts';
import { DomainError, ERROR_TABLE, codeOfFrameworkError, type ErrorCode, type FieldError } from '../domain/errors.ts';

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

/** The problem's own members come last: an extension can never replace type, title, status, detail, instance or code. */
export function problemFor(code: ErrorCode, detail: string, instance: string, extensions: Record<string, unknown> = {}): Problem {
  const { status, title } = ERROR_TABLE[code];
  return { ...extensions, type: problemType(code), title, status, detail, instance, code };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  // A problem that says when to come back (503, 409 in use) says it in the header clients read too.
  if (typeof problem.retryAfter === 'number') reply.header('retry-after', String(problem.retryAfter));
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

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

/**
 * The problem an error is answered with. A lost database met outside a use case (a hook, a
 * plugin) is still a 503, not a 500. `internal` is set when the error was hidden: it is to be logged.
 */
export function problemOf(thrown: unknown, request: FastifyRequest): { problem: Problem; internal?: unknown } {
  const instance = request.url;
  const error = (asServiceFailure(thrown) ?? thrown) as FastifyError | DomainError;
  if (error instanceof DomainError) return { problem: problemFor(error.code, error.message, instance, error.details) };
  const errors = fieldErrors(error);
  if (errors.length) return { problem: problemFor('BAD_USER_INPUT', `${errors.length} field(s) failed validation.`, instance, { errors }) };
  // Errors fastify and its plugins raise themselves are answered from the same table.
  const code = codeOfFrameworkError(error);
  if (code) return { problem: problemFor(code, error.message, instance, code === 'UNAVAILABLE' ? { retryAfter: RETRY_AFTER_UNREACHABLE } : {}) };
  return { problem: problemFor('INTERNAL', `An unexpected error occurred; quote request id ${request.id}.`, instance), internal: thrown };
}

/** The one error handler: every failure leaves as RFC 9457 problem+json, never a stack or SQL. */
export function handleError(error: FastifyError | DomainError, request: FastifyRequest, reply: FastifyReply) {
  const { problem, internal } = problemOf(error, request);
  if (internal) request.log.error({ err: internal }, 'unhandled error');
  return sendProblem(reply, problem);
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, problemFor('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, request.url));
}
