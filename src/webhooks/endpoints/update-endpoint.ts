import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { parseInput } from '../../domain/validate.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import { UpdateWebhookEndpointInput, type WebhookEndpoint } from '../schemas/endpoint.ts';
import { requireSafeUrl } from './guard-url.ts';
import { presentEndpoint } from './present-endpoint.ts';
import { switchEnabled } from './switch-enabled.ts';

/**
 * Changes an endpoint. Disabling pauses its deliveries where they are; re-enabling clears the
 * failure record and makes every paused delivery due at once.
 */
export async function updateWebhookEndpoint(ctx: WebhookCtx, rawInput: { id: string; changes: UpdateWebhookEndpointInput }): Promise<WebhookEndpoint> {
  authorize(ctx.actor, 'updateWebhookEndpoint');
  const changes = parseInput(UpdateWebhookEndpointInput, rawInput.changes);
  const url = changes.url === undefined ? undefined : await requireSafeUrl(ctx, changes.url);
  return withAudit(ctx, { action: 'updateWebhookEndpoint', subjectType: 'webhook_endpoint', subjectId: (endpoint) => endpoint.id }, async (tx) => {
    const current = await loadEndpoint(tx, rawInput.id, { lock: true });
    const now = tx.clock();
    const enabled = switchEnabled(current, changes.enabled, tx, now);
    const [row] = await tx.db
      .update(webhookEndpoints)
      .set({
        ...(url === undefined ? {} : { url }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(changes.eventTypes === undefined ? {} : { eventTypes: changes.eventTypes }),
        ...(changes.includeNames === undefined ? {} : { includeNames: changes.includeNames }),
        ...enabled.set,
        updatedAt: now,
      })
      .where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.id, current.id)))
      .returning();
    await enabled.resume();
    return presentEndpoint(row!, now);
  });
}
