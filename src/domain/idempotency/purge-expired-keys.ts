import { lt } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { idempotencyKeys } from '../../db/schema.ts';
import type { Clock } from '../context.ts';

/** How often the server purges expired Idempotency-Keys. */
export const PURGE_EVERY_MS = 3600 * 1000;

/**
 * Deletes Idempotency-Keys past their expiry (housekeeping, not a request: it spans every
 * organisation; idempotency_keys_expires_idx finds them). Returns how many were deleted.
 */
export async function purgeExpiredKeys(deps: { db: Database; clock: Clock }): Promise<number> {
  const deleted = await deps.db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, deps.clock())).returning({ key: idempotencyKeys.key });
  return deleted.length;
}
