import { authorize } from '../../domain/permissions.ts';
import { outboxEvents } from '../../db/schema.ts';
import { withTransaction } from '../../domain/context.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import type { TestEventAccepted } from '../schemas/endpoint.ts';
import { TEST_EVENT_TYPE } from '../vocabulary.ts';
import { queueManualDeliveries } from './queue-manual.ts';
import { currentTraceparent } from '../../domain/events/record-event.ts';
import { requireEnabled } from './require-enabled.ts';

/**
 * Sends an example `webhook.test` event to one endpoint, signed like any other, through the
 * same dispatcher and log. The event is kept (so its attempts can be read) but it is never fanned
 * out to other endpoints nor listed to pollers, and it is not announced on the domain event feed.
 */
export async function sendTestEvent(ctx: WebhookCtx, input: { id: string }): Promise<TestEventAccepted> {
  authorize(ctx.actor, 'sendWebhookTestEvent');
  return withTransaction(ctx, async (tx) => {
    const endpoint = await loadEndpoint(tx, input.id);
    requireEnabled(endpoint);
    const payload = { organisationId: tx.actor.org, actor: tx.actor.sub, endpointId: endpoint.id, message: 'A test event from Tandem: your endpoint receives and verifies webhooks.' };
    const [event] = await tx.db
      .insert(outboxEvents)
      .values({ orgId: tx.actor.org, type: TEST_EVENT_TYPE, subjectId: endpoint.id, payload, createdAt: tx.clock(), traceparent: currentTraceparent() })
      .returning({ id: outboxEvents.id });
    const [deliveryId] = await queueManualDeliveries(tx, [{ endpointId: endpoint.id, eventId: event!.id }]);
    return { eventId: event!.id, deliveryId: deliveryId! };
  });
}
