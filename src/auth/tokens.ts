import { createSigner } from 'fast-jwt';
import type { Config } from '../config.ts';
import type { TokenClaims } from './principal.ts';

/** Signs a token with the configured shared secret (development, tests and `npm run token`). */
export function signDevelopmentToken(config: Pick<Config, 'jwt'>, claims: TokenClaims, expiresInSeconds = 24 * 3600): string {
  const sign = createSigner({ key: config.jwt.secret, expiresIn: expiresInSeconds * 1000, ...(config.jwt.issuer ? { iss: config.jwt.issuer } : {}) });
  return sign({ ...claims });
}
