import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { authorize } from '../../domain/permissions.ts';
import { loadEndpoint, type WebhookCtx } from '../../webhooks/context.ts';

/** Deletes an LRS configuration with its pending statements and their log. */
export async function deleteLrsConfiguration(ctx: WebhookCtx, input: { id: string }): Promise<void> {
  authorize(ctx.actor, 'deleteLrsConfiguration');
  await withAudit(ctx, { action: 'deleteLrsConfiguration', subjectType: 'lrs_configuration', subjectId: () => input.id }, async (tx) => {
    const lrs = await loadEndpoint(tx, input.id, { channel: 'xapi' });
    await tx.db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.id, lrs.id)));
  });
}
