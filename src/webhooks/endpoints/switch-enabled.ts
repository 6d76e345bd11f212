import { and, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../db/schema.ts';
import type { Ctx } from '../../domain/context.ts';
import { announceWork } from '../notify-work.ts';

/**
 * What an `enabled` change writes to an endpoint row (of either channel): disabling pauses its
 * deliveries where they are; re-enabling clears the failure record. `resume` then makes every
 * paused delivery due at once, in the same transaction.
 */
export function switchEnabled(current: { id: string; enabled: boolean }, enabled: boolean | undefined, ctx: Ctx, now: Date) {
  const enabling = enabled === true && !current.enabled;
  const disabling = enabled === false && current.enabled;
  const set = {
    ...(enabling ? { enabled: true, disabledReason: null, disabledAt: null, failingSince: null } : {}),
    ...(disabling ? { enabled: false, disabledReason: `Disabled by ${ctx.actor.sub}.`, disabledAt: now } : {}),
  };
  const resume = async () => {
    if (!enabling) return;
    await ctx.db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: now, updatedAt: now })
      .where(and(eq(webhookDeliveries.orgId, ctx.actor.org), eq(webhookDeliveries.endpointId, current.id), eq(webhookDeliveries.status, 'pending')));
    await announceWork(ctx.db);
  };
  return { set, resume };
}
