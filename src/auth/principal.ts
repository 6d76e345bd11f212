import { z } from 'zod';
import { ROLES } from '../vocabulary.ts';
import type { Actor } from '../domain/context.ts';

/** The claims Tandem needs from a bearer token. */
export const TokenClaims = z.object({
  sub: z.string().min(1).max(200),
  org: z.string().min(1).max(100),
  roles: z.array(z.enum(ROLES)).min(1),
  cid: z.string().max(200).optional(),
  scope: z.string().max(2000).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export function actorFromClaims(payload: unknown): Actor | null {
  const parsed = TokenClaims.safeParse(payload);
  if (!parsed.success) return null;
  const { sub, org, roles, cid, scope } = parsed.data;
  return {
    sub,
    org,
    roles: [...new Set(roles)],
    ...(cid ? { clientId: cid } : {}),
    ...(scope !== undefined ? { scopes: scope.split(' ').filter(Boolean) } : {}),
  };
}
