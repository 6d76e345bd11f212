/**
 * Typed domain errors and the one table every transport reads: the same code becomes an
 * HTTP status and problem `type` in REST and `extensions.code` in GraphQL.
 */
export const ERROR_TABLE = {
  BAD_USER_INPUT: { status: 400, slug: 'validation-failed', title: 'The request is not valid' },
  UNAUTHENTICATED: { status: 401, slug: 'unauthenticated', title: 'Authentication is required' },
  FORBIDDEN: { status: 403, slug: 'forbidden', title: 'You may not do this' },
  NOT_FOUND: { status: 404, slug: 'not-found', title: 'Not found' },
  CONFLICT: { status: 409, slug: 'conflict', title: 'The request conflicts with the current state' },
  TRANSITION_NOT_ALLOWED: { status: 409, slug: 'transition-not-allowed', title: 'This move is not allowed from the current stage' },
  TRANSITION_BLOCKED: { status: 409, slug: 'transition-blocked', title: 'The work of this stage is not done yet' },
  VERSION_CONFLICT: { status: 412, slug: 'version-mismatch', title: 'The resource has changed since you read it' },
  PRECONDITION_REQUIRED: { status: 428, slug: 'precondition-required', title: 'This change needs If-Match' },
  SMART_FAILED: { status: 422, slug: 'smart-check-failed', title: 'The goal does not pass the SMART check' },
  UNPROCESSABLE: { status: 422, slug: 'unprocessable', title: 'The request cannot be carried out' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, slug: 'idempotency-key-reused', title: 'This Idempotency-Key was used with another request' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, slug: 'idempotency-key-in-use', title: 'A request with this Idempotency-Key is still running' },
  PAYLOAD_TOO_LARGE: { status: 413, slug: 'payload-too-large', title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, slug: 'unsupported-media-type', title: 'The request body must be JSON' },
  RATE_LIMITED: { status: 429, slug: 'rate-limited', title: 'Too many requests' },
  INTERNAL: { status: 500, slug: 'internal', title: 'Something went wrong on our side' },
  UNAVAILABLE: { status: 503, slug: 'unavailable', title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; slug: string; title: string }>;

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

export const notFound = (what: string, id?: string) =>
  new DomainError('NOT_FOUND', id ? `No ${what} with id ${id} in this organisation.` : `No such ${what} in this organisation.`);

export const invalid = (message: string, errors: FieldError[] = []) =>
  new DomainError('BAD_USER_INPUT', message, errors.length ? { errors } : {});

export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);

export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('CONFLICT', message, details);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
