import { and, eq, isNull } from 'drizzle-orm';
import { calendarFeeds } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';

/**
 * A leaver leaves: every bearer capability that names the person stops working, in the caller's
 * transaction (de-provisioning, deactivation, erasure). Today that is their calendar feeds, whose
 * URL is the only key. Revoked for good: a later reactivation revives no old secret; a new feed is
 * made on purpose. Their tokens need nothing here: a de-provisioned person stands for no one
 * (access.ts). Integration clients belong to the organisation, not to the person who made them.
 */
export async function revokeBearerCapabilities(tx: Ctx, personId: string): Promise<{ calendarFeeds: number }> {
  const revoked = await tx.db
    .update(calendarFeeds)
    .set({ revokedAt: tx.clock() })
    .where(and(eq(calendarFeeds.orgId, tx.actor.org), eq(calendarFeeds.personId, personId), isNull(calendarFeeds.revokedAt)))
    .returning({ id: calendarFeeds.id });
  return { calendarFeeds: revoked.length };
}
