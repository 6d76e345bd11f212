import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { integrationClients } from '../../db/schema.ts';
import type { Actor, Clock } from '../context.ts';
import { isUuid } from '../uuid.ts';

const CACHE_MS = 15_000;

const activeCache = new Map<string, { active: boolean; until: number }>();

/** Whether a client token's client is still live; cached briefly, so a revocation bites within 15 s. */
export async function isClientActive(deps: { db: Database; clock: Clock }, actor: Actor): Promise<boolean> {
  if (!actor.clientId) return true;
  if (!isUuid(actor.clientId)) return false;
  const key = `${actor.org}\u0000${actor.clientId}`;
  const now = deps.clock().getTime();
  const cached = activeCache.get(key);
  if (cached && cached.until > now) return cached.active;
  const [row] = await deps.db
    .select({ id: integrationClients.id })
    .from(integrationClients)
    .where(and(eq(integrationClients.orgId, actor.org), eq(integrationClients.id, actor.clientId), isNull(integrationClients.revokedAt)));
  const active = Boolean(row);
  activeCache.set(key, { active, until: now + CACHE_MS });
  return active;
}
