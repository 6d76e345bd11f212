import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';

/** Deletes an endpoint with its deliveries and their log; a send in flight finishes unrecorded. */
export async function deleteWebhookEndpoint(ctx: WebhookCtx, input: { id: string }): Promise<void> {
  authorize(ctx.actor, 'deleteWebhookEndpoint');
  await withAudit(ctx, { action: 'deleteWebhookEndpoint', subjectType: 'webhook_endpoint', subjectId: () => input.id }, async (tx) => {
    const endpoint = await loadEndpoint(tx, input.id);
    await tx.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.id, endpoint.id)));
  });
}
