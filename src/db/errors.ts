/** PostgreSQL error codes, whichever driver raised them (drizzle wraps them in `cause`). */
function pgCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => pgCode(error) === '23505';
export const isSerializationFailure = (error: unknown) => pgCode(error) === '40001' || pgCode(error) === '40P01';

/** Data exceptions (SQLSTATE class 22): text or numbers PostgreSQL cannot store, such as a NUL byte. */
export const isDataException = (error: unknown) => pgCode(error)?.startsWith('22') === true;

// Node's socket errors and postgres.js' own codes when a connection is lost, cannot be made, or
// the network went silent (query_timeout, queue_timeout, a cancel never answered).
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'QUERY_TIMEOUT', 'QUEUE_TIMEOUT', 'CANCEL_UNANSWERED',
]);
// SQLSTATE: class 08 (connection exception), 57P01-57P03 (the server shuts down or is starting), 53300 (too many
// connections), 57014 (canceled: statement_timeout).
const SERVER_GONE = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

/** 55000 is "object not in prerequisite state"; only this message of it means the database is closed to connections. */
function refusesConnections(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (code === '55000' && typeof message === 'string' && message.includes('is not currently accepting connections')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The database is unreachable, refuses connections or dropped one: nothing the caller did, worth retrying later. */
export function isConnectionFailure(error: unknown): boolean {
  const code = pgCode(error);
  if (code && (code.startsWith('08') || SERVER_GONE.has(code))) return true;
  if (code === '55000' && refusesConnections(error)) return true;
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const own = (current as { code?: unknown }).code;
    if (typeof own === 'string' && CONNECTION_CODES.has(own)) return true;
    // An AggregateError (connecting to each address of localhost) carries the socket errors in `errors`.
    const inner = (current as { errors?: unknown }).errors;
    if (Array.isArray(inner) && inner.some((e) => isConnectionFailure(e))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
