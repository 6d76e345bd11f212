import { createDecoder, createVerifier } from 'fast-jwt';
import buildGetJwks from 'get-jwks';
import type { Config } from '../config.ts';
import type { Actor } from '../domain/context.ts';
import { DomainError } from '../domain/errors.ts';
import { actorFromClaims } from './principal.ts';
import { tokenTimesProblem } from './token-policy.ts';

export type TokenVerifier = (token: string) => Promise<Actor>;

const IDP_ALGORITHMS = ['RS256', 'ES256'];
const decode = createDecoder({ complete: true });

const refuse = (detail: string) => new DomainError('UNAUTHENTICATED', detail);

/** How long a verified token is remembered at most (never past its own `exp`), and how many. */
const REMEMBER_MS = 60_000;
const REMEMBER_MAX = 10_000;

/**
 * Remembers tokens that passed verification, by their exact text, until the earlier of their
 * `exp` and a minute from now: a client sends the same token on every request, and a signature
 * check, two base64 decodes and a claims parse per request are most of authentication's cost.
 * Revocation of integration clients is checked on every request all the same.
 */
function rememberVerified(verify: (token: string) => Promise<{ actor: Actor; expiresAt: number | undefined }>) {
  const verified = new Map<string, { actor: Actor; until: number }>();
  return async (token: string): Promise<Actor> => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && known.until > now) return known.actor;
    if (known) verified.delete(token);
    const { actor, expiresAt } = await verify(token);
    if (verified.size >= REMEMBER_MAX) verified.delete(verified.keys().next().value!);
    verified.set(token, { actor, until: Math.min(expiresAt ?? Infinity, now + REMEMBER_MS) });
    return actor;
  };
}

const expiryOf = (claims: unknown): number | undefined => {
  const exp = (claims as { exp?: unknown } | null)?.exp;
  return typeof exp === 'number' ? exp * 1000 : undefined;
};

/**
 * Verifies a bearer token. Tandem's own tokens (development, `npm run token`, client
 * credentials) are HS256 with the configured secret, or verified with JWT_PUBLIC_KEY. Tokens
 * whose `iss` is the configured identity provider are verified against its JWKS, RS256/ES256
 * only, with issuer and audience checked. Algorithms are pinned per issuer: `none` and HS/RS
 * confusion are refused.
 */
export function createTokenVerifier(
  config: Config,
  verifyOwn: (token: string) => unknown,
  isClientActive: (actor: Actor) => Promise<boolean> = async () => true,
): TokenVerifier {
  const idp = config.idp;
  const jwksUrl = idp ? new URL(idp.jwksUrl) : undefined;
  const getJwks = idp ? buildGetJwks({ ttl: 10 * 60_000, jwksPath: jwksUrl!.pathname }) : undefined;

  // The token policy (src/auth/token-policy.ts), after the signature: exp required, a bounded
  // lifetime, nothing issued in the future.
  const checkTimes = (claims: Record<string, unknown>) => {
    const problem = tokenTimesProblem(claims, Date.now() / 1000, config.tokens);
    if (problem) throw refuse(problem);
  };

  const verifyFresh = async (token: string): Promise<{ actor: Actor; expiresAt: number | undefined }> => {
    let issuer: unknown;
    let header: { alg?: string; kid?: string };
    try {
      const decoded = decode(token) as { header: { alg?: string; kid?: string }; payload: { iss?: unknown } };
      header = decoded.header;
      issuer = decoded.payload.iss;
    } catch {
      throw refuse('The bearer token is not a JWT.');
    }

    if (idp && getJwks && issuer === idp.issuer) {
      if (!header.alg || !IDP_ALGORITHMS.includes(header.alg)) throw refuse(`Tokens of ${idp.issuer} must be signed with RS256 or ES256.`);
      if (!header.kid) throw refuse('The token names no signing key (kid).');
      let key: string;
      try {
        key = await getJwks.getPublicKey({ domain: jwksUrl!.origin, kid: header.kid, alg: header.alg });
      } catch {
        throw refuse('The token was signed with a key the identity provider does not publish.');
      }
      let claims: Record<string, unknown>;
      try {
        claims = createVerifier({
          key,
          algorithms: IDP_ALGORITHMS as never,
          allowedIss: idp.issuer,
          allowedAud: idp.audience,
          ignoreNotBefore: true, // checked with the allowed clock skew by the token policy
        })(token) as Record<string, unknown>;
      } catch (error) {
        throw refuse(`The identity provider's token was refused: ${(error as Error).message}`);
      }
      checkTimes(claims);
      const roles = claims[idp.claims.roles];
      const actor = actorFromClaims({
        sub: claims[idp.claims.sub],
        org: claims[idp.claims.org],
        roles: typeof roles === 'string' ? roles.split(' ') : roles,
      });
      if (!actor) throw refuse(`The identity provider's token must carry ${idp.claims.sub}, ${idp.claims.org} and ${idp.claims.roles}.`);
      return { actor: Object.freeze(actor), expiresAt: expiryOf(claims) };
    }

    let payload: unknown;
    try {
      payload = verifyOwn(token);
    } catch {
      throw refuse('The bearer token is invalid or expired.');
    }
    checkTimes(payload as Record<string, unknown>);
    const actor = actorFromClaims(payload);
    if (!actor) throw refuse('The token must carry sub, org and roles (admin, manager, member, integration).');
    return { actor: Object.freeze(actor), expiresAt: expiryOf(payload) };
  };

  const verifyRemembered = rememberVerified(verifyFresh);
  return async (token) => {
    const actor = await verifyRemembered(token);
    if (!(await isClientActive(actor))) throw refuse('The integration client of this token has been revoked.');
    return actor;
  };
}
