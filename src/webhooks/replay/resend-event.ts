import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEndpoint, loadEvent, type WebhookCtx } from '../context.ts';
import { ResendEventInput, type ResendAccepted } from '../schemas/event.ts';
import { TEST_EVENT_TYPE } from '../vocabulary.ts';
import { queueManualDeliveries } from './queue-manual.ts';
import { requireEnabled } from './require-enabled.ts';

/**
 * Sends an event again, with the same webhook-id, to one endpoint or to every enabled endpoint
 * subscribed to its type. Each resend is tried once: a failed resend is logged, not rescheduled.
 */
export async function resendEvent(ctx: WebhookCtx, rawInput: { id: string } & ResendEventInput): Promise<ResendAccepted> {
  authorize(ctx.actor, 'resendEvent');
  const input = parseInput(ResendEventInput, { ...(rawInput.endpointId ? { endpointId: rawInput.endpointId } : {}) });
  return withAudit(ctx, { action: 'resendEvent', subjectType: 'event', subjectId: (resend) => resend.eventId }, async (tx) => {
    const event = await loadEvent(tx, rawInput.id);
    let endpointIds: string[];
    if (input.endpointId) {
      const endpoint = await loadEndpoint(tx, input.endpointId, { channel: null });
      requireEnabled(endpoint);
      endpointIds = [endpoint.id];
    } else {
      const endpoints = await tx.db
        .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.enabled, true)));
      const subscribed = endpoints.filter((endpoint) => event.type !== TEST_EVENT_TYPE && (endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(event.type)));
      endpointIds = subscribed.map((endpoint) => endpoint.id);
    }
    const deliveryIds = await queueManualDeliveries(tx, endpointIds.map((endpointId) => ({ endpointId, eventId: event.id })));
    return { eventId: event.id, deliveryIds };
  });
}
