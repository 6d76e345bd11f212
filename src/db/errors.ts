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
