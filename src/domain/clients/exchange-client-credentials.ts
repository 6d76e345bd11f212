import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { integrationClients } from '../../db/schema.ts';
import { isUuid } from '../uuid.ts';
import { verifyClientSecret } from './client-secret.ts';

export type CredentialsOutcome =
  | { ok: true; claims: { sub: string; org: string; roles: ['integration']; cid: string; scope: string } }
  | { ok: false; error: 'invalid_client' | 'invalid_scope'; description: string };

/**
 * RFC 6749 §4.4: a client proves who it is with its secret and gets the claims of a short-lived
 * token, narrowed to the scopes it asks for (never more than it was granted).
 */
export async function exchangeClientCredentials(
  deps: { db: Database },
  input: { clientId: string; clientSecret: string; scope?: string },
): Promise<CredentialsOutcome> {
  const refused = { ok: false as const, error: 'invalid_client' as const, description: 'Unknown client, wrong secret, or a revoked client.' };
  if (!isUuid(input.clientId)) return refused;
  const [client] = await deps.db.select().from(integrationClients).where(eq(integrationClients.id, input.clientId));
  // Verify even when the client is missing or revoked, so timing does not tell which it was.
  const valid = await verifyClientSecret(input.clientSecret, client?.secretHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  if (!client || !valid || client.revokedAt) return refused;
  const asked = input.scope?.split(' ').filter(Boolean);
  const granted = asked ?? client.scopes;
  const beyond = granted.filter((scope) => !client.scopes.includes(scope));
  if (beyond.length) return { ok: false, error: 'invalid_scope', description: `This client was not granted: ${beyond.join(', ')}.` };
  return { ok: true, claims: { sub: `client:${client.id}`, org: client.orgId, roles: ['integration'], cid: client.id, scope: granted.join(' ') } };
}
