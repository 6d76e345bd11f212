/**
 * Typed domain errors and the one table every transport reads: the same code becomes an HTTP
 * status and problem `type` in REST and `extensions.code` in GraphQL. `frameworkCodes` are the
 * codes the frameworks under the transports (fastify and its plugins, mercurius) give the errors
 * they raise themselves, so those too are answered from this table. The first code of a status is
 * its general one (see codeOfFrameworkError).
 */
export const ERROR_TABLE = {
  BAD_USER_INPUT: {
    status: 400,
    slug: 'validation-failed',
    title: 'The request is not valid',
    frameworkCodes: [
      'FST_ERR_VALIDATION',
      'FST_ERR_CTP_INVALID_CONTENT_LENGTH',
      'FST_ERR_CTP_EMPTY_JSON_BODY',
      'FST_ERR_CTP_INVALID_JSON_BODY',
      'FST_ERR_BAD_URL',
      // A path parameter longer than the router takes (fastify answers 414 itself): bad input, like a too-long field.
      'FST_ERR_MAX_PARAM_LENGTH',
    ],
  },
  UNAUTHENTICATED: {
    status: 401,
    slug: 'unauthenticated',
    title: 'Authentication is required',
    frameworkCodes: ['FST_JWT_NO_AUTHORIZATION_IN_HEADER', 'FST_JWT_AUTHORIZATION_TOKEN_INVALID', 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED'],
  },
  FORBIDDEN: { status: 403, slug: 'forbidden', title: 'You may not do this' },
  NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found', frameworkCodes: ['FST_ERR_NOT_FOUND'] },
  METHOD_NOT_ALLOWED: { status: 405, slug: 'method-not-allowed', title: 'This method is not allowed here', frameworkCodes: ['MER_ERR_METHOD_NOT_ALLOWED'] },
  CONFLICT: { status: 409, slug: 'conflict', title: 'The request conflicts with the current state' },
  TRANSITION_NOT_ALLOWED: { status: 409, slug: 'transition-not-allowed', title: 'This move is not allowed from the current stage' },
  TRANSITION_BLOCKED: { status: 409, slug: 'transition-blocked', title: 'The work of this stage is not done yet' },
  RELATIONSHIP_ENDED: { status: 409, slug: 'relationship-ended', title: 'The relationship has ended' },
  VERSION_CONFLICT: { status: 412, slug: 'version-mismatch', title: 'The resource has changed since you read it' },
  UNPROCESSABLE: { status: 422, slug: 'unprocessable', title: 'The request cannot be carried out' },
  SMART_FAILED: { status: 422, slug: 'smart-check-failed', title: 'The goal does not pass the SMART check' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, slug: 'idempotency-key-reused', title: 'This Idempotency-Key was used with another request' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, slug: 'idempotency-key-in-use', title: 'A request with this Idempotency-Key is still running' },
  // Node's HTTP parser refuses these before any route (rest/edge-answers.ts).
  REQUEST_TIMEOUT: { status: 408, slug: 'request-timeout', title: 'The request was not received in time' },
  HEADERS_TOO_LARGE: { status: 431, slug: 'headers-too-large', title: 'The request headers are too large' },
  PAYLOAD_TOO_LARGE: { status: 413, slug: 'payload-too-large', title: 'The request body is too large', frameworkCodes: ['FST_ERR_CTP_BODY_TOO_LARGE'] },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, slug: 'unsupported-media-type', title: 'The request body must be JSON', frameworkCodes: ['FST_ERR_CTP_INVALID_MEDIA_TYPE'] },
  RATE_LIMITED: { status: 429, slug: 'rate-limited', title: 'Too many requests', frameworkCodes: ['FST_ERR_RATE_LIMITED'] },
  // GraphQL refuses these before anything runs (the operation is not one it can execute).
  GRAPHQL_PARSE_FAILED: { status: 400, slug: 'graphql-parse-failed', title: 'The GraphQL document does not parse' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, slug: 'graphql-validation-failed', title: 'The GraphQL document does not fit the schema' },
  QUERY_TOO_DEEP: { status: 400, slug: 'query-too-deep', title: 'The GraphQL query is nested too deeply' },
  QUERY_TOO_COSTLY: { status: 400, slug: 'query-too-costly', title: 'The GraphQL query would cost too much' },
  INTERNAL: { status: 500, slug: 'internal', title: 'Something went wrong on our side' },
  // The database is unreachable, or kept refusing for a moment (deadlocks): retry after `retryAfter` seconds.
  UNAVAILABLE: {
    status: 503,
    slug: 'service-unavailable',
    title: 'The service is unavailable for a moment',
    // A request that outlived REQUEST_TIMEOUT (fastify's handlerTimeout): most likely a database that went silent.
    frameworkCodes: ['FST_ERR_HANDLER_TIMEOUT'],
  },
} as const satisfies Record<string, { status: number; slug: string; title: string; frameworkCodes?: readonly string[] }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable details carried to the client (allowed moves, blockers, SMART report...). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** `field`: the input field that named the id (a body's mentorId), so the answer names it. */
export const notFound = (what: string, id?: string, field?: string) =>
  new DomainError(
    'NOT_FOUND',
    id ? `No ${what} with id ${id} in this organisation.` : `No such ${what} in this organisation.`,
    field ? { errors: [{ path: field, message: id ? `no ${what} ${id} in this organisation` : `no such ${what} in this organisation` }] } : {},
  );

export const invalid = (message: string, errors: FieldError[] = []) =>
  new DomainError('BAD_USER_INPUT', message, errors.length ? { errors } : {});

export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('CONFLICT', message, details);

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_TABLE, code);

const CODES = Object.entries(ERROR_TABLE) as [ErrorCode, { status: number; frameworkCodes?: readonly string[] }][];
const BY_FRAMEWORK_CODE = new Map(CODES.flatMap(([code, entry]) => (entry.frameworkCodes ?? []).map((framework) => [framework, code] as const)));
const BY_STATUS = new Map<number, ErrorCode>();
for (const [code, { status }] of CODES) if (!BY_STATUS.has(status)) BY_STATUS.set(status, code);

/**
 * The code of an error a framework raised: the one whose `frameworkCodes` name it, or else the
 * general code of its 4xx status. Undefined when the table knows neither: such an error is not
 * turned into some other client error; the transports answer it as INTERNAL and log it, so it is
 * seen and added here.
 */
export function codeOfFrameworkError(error: { code?: unknown; statusCode?: unknown }): ErrorCode | undefined {
  const named = typeof error.code === 'string' ? BY_FRAMEWORK_CODE.get(error.code) : undefined;
  if (named) return named;
  const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 ? BY_STATUS.get(status) : undefined;
}
