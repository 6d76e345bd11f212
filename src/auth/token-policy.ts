import type { Config } from '../config.ts';

export type TokenPolicy = Config['tokens'];

const seconds = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/**
 * Why a token whose signature checked out is still refused for its times, or null when they hold.
 * Every token must expire (`exp`), live no longer than the policy's maximum (from `iat`, or from
 * now when it names none), and not be issued (`iat`) or start (`nbf`) in the future beyond the
 * allowed clock skew (expiry itself is exact). Times are seconds since the epoch, as in the token.
 */
export function tokenTimesProblem(claims: Record<string, unknown>, now: number, policy: TokenPolicy): string | null {
  const { exp, iat, nbf } = claims;
  if (!seconds(exp)) return 'The token must carry exp: every token expires.';
  if (iat !== undefined && !seconds(iat)) return 'The token’s iat must be a time in seconds.';
  if (nbf !== undefined && !seconds(nbf)) return 'The token’s nbf must be a time in seconds.';
  const expiry = exp as number;
  if (expiry <= now) return 'The bearer token has expired.';
  if (seconds(iat) && (iat as number) > now + policy.clockSkew) return 'The token was issued in the future (iat); check the issuer’s clock.';
  if (seconds(nbf) && (nbf as number) > now + policy.clockSkew) return 'The token is not valid yet (nbf).';
  const issuedAt = seconds(iat) ? Math.min(iat as number, now) : now;
  if (expiry - issuedAt > policy.maxLifetime) {
    return `The token lives ${Math.round(expiry - issuedAt)} seconds; at most ${policy.maxLifetime} are accepted (TOKEN_MAX_LIFETIME).`;
  }
  return null;
}
