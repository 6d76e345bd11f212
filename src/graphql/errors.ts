import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { FastifyBaseLogger } from 'fastify';
import { RETRY_AFTER_UNREACHABLE, asServiceFailure } from '../domain/bind-use-cases.ts';
import { DomainError, ERROR_TABLE, codeOfFrameworkError, isErrorCode, type ErrorCode } from '../domain/errors.ts';

export interface ClientError {
  formatted: GraphQLFormattedError;
  status: number;
  /** Set when the message was hidden: the error to log. */
  internal?: unknown;
}

function shaped(error: GraphQLError, code: ErrorCode, message: string, details: Record<string, unknown> = {}): ClientError {
  const formatted: GraphQLFormattedError = {
    message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { ...details, code },
  };
  return { formatted, status: ERROR_TABLE[code].status };
}

// mercurius wraps request errors (syntax, validation, GET mutation) in one error with `errors`.
function requestError(wrapper: { code?: string }, inner: unknown): ClientError {
  const error = asGraphQLError(inner);
  const own = error.extensions?.code;
  let code: ErrorCode = codeOfFrameworkError({ code: wrapper.code }) ?? 'GRAPHQL_VALIDATION_FAILED';
  if (isErrorCode(own)) code = own; // the depth and cost limits name their own
  else if (error.message.startsWith('Syntax Error')) code = 'GRAPHQL_PARSE_FAILED';
  else if (error.message.startsWith('Variable "$')) code = 'BAD_USER_INPUT';
  return shaped(error, code, error.message, { ...error.extensions });
}

const asGraphQLError = (error: unknown): GraphQLError =>
  error instanceof GraphQLError ? error : new GraphQLError(error instanceof Error ? error.message : String(error), { originalError: error instanceof Error ? error : null });

/**
 * The one mapping from whatever went wrong to what the client sees: domain refusals keep their
 * code and details (allowed, blockers, report, errors, currentVersion), GraphQL request errors get
 * their own codes, anything unexpected becomes "Internal error" and is logged, never shown.
 */
export function describeError(error: unknown, executed = true): ClientError[] {
  const graphqlError = asGraphQLError(error);
  const original = graphqlError.originalError as (Error & { errors?: unknown[]; code?: string; statusCode?: number }) | undefined;
  // GraphQL's own error before execution: graphql-jit coerces variables itself, unwrapped.
  if (!original && !executed) return [requestError({}, graphqlError)];
  if (original && Array.isArray(original.errors)) {
    return original.errors.map((inner) => requestError(original, inner));
  }
  if (original instanceof DomainError) return [shaped(graphqlError, original.code, original.message, original.details)];
  const failure = original ? asServiceFailure(original) : undefined;
  if (failure) return [shaped(graphqlError, failure.code, failure.message, failure.details)];
  const code = original ? codeOfFrameworkError(original) : undefined;
  // A request past REQUEST_TIMEOUT says when to come back, as a lost database does.
  if (code) return [shaped(graphqlError, code, original!.message, code === 'UNAVAILABLE' ? { retryAfter: RETRY_AFTER_UNREACHABLE } : {})];
  return [{ ...shaped(graphqlError, 'INTERNAL', 'Internal error'), internal: original ?? graphqlError }];
}

/** For paths that send errors without the formatter (a subscription refused at start). */
export function toClientGraphQLError(error: unknown, log?: FastifyBaseLogger): GraphQLError {
  const [first] = describeError(error);
  if (first?.internal) log?.error({ err: first.internal }, 'GraphQL subscription failed');
  return new GraphQLError(first?.formatted.message ?? 'Internal error', { extensions: first?.formatted.extensions ?? { code: 'INTERNAL' } });
}

/**
 * mercurius' errorFormatter. A result that ran (it has `data`, even null) answers 200 by the
 * GraphQL-over-HTTP spec; a request refused before it ran carries no `data` and the status of
 * its error (400 parse or validation, 401, 405, ...).
 */
export function formatExecutionErrors(
  execution: ExecutionResult & { errors: readonly GraphQLError[] },
  context: { reply?: { log: FastifyBaseLogger }; app: { log: FastifyBaseLogger } },
) {
  const log = context.reply?.log ?? context.app.log;
  const executed = 'data' in execution;
  const described = execution.errors.flatMap((error) => describeError(error, executed));
  for (const { internal } of described) if (internal) log.error({ err: internal }, 'GraphQL request failed');
  const errors = described.map((d) => d.formatted);
  if (executed) return { statusCode: 200, response: { data: execution.data ?? null, errors } };
  return { statusCode: described[0]?.status ?? 500, response: { errors } };
}
