import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { webhookEndpoints } from '../db/schema.ts';
import { recordEvent } from '../domain/events/record-event.ts';
import { DISPATCHER_ACTOR } from './vocabulary.ts';

/**
 * Disables an endpoint the dispatcher has given up on, with the reason, and records a
 * `webhook_endpoint.disabled` event in the same transaction. Only the dispatcher that actually
 * flips `enabled` writes the event, so two racing failures record it once. With `failingSince`,
 * only while the failure record still holds that value (a success committed meanwhile clears it).
 */
export async function disableEndpoint(tx: Database, endpointId: string, reason: string, now: Date, only: { failingSince?: Date } = {}): Promise<boolean> {
  const [endpoint] = await tx
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, disabledAt: now, updatedAt: now })
    .where(
      and(
        eq(webhookEndpoints.id, endpointId),
        eq(webhookEndpoints.enabled, true),
        only.failingSince ? eq(webhookEndpoints.failingSince, only.failingSince) : undefined,
      ),
    )
    .returning({ id: webhookEndpoints.id, orgId: webhookEndpoints.orgId, url: webhookEndpoints.url });
  if (!endpoint) return false;
  const ctx = { db: tx, clock: () => now, actor: { sub: DISPATCHER_ACTOR, org: endpoint.orgId, roles: [] } };
  await recordEvent(ctx, 'webhook_endpoint.disabled', endpoint.id, { endpointId: endpoint.id, url: endpoint.url, reason });
  return true;
}
