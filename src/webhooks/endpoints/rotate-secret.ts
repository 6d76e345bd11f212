import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import { webhookEndpoints } from '../../db/schema.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import type { WebhookEndpointWithSecret } from '../schemas/endpoint.ts';
import { generateSecret } from '../secrets.ts';
import { SECRET_OVERLAP_MS } from '../vocabulary.ts';
import { presentEndpoint } from './present-endpoint.ts';

/**
 * A new secret, shown once. For 24 h every message carries two signatures, the new one and the
 * old one, so receivers can switch over without dropping a delivery; then only the new one.
 */
export async function rotateWebhookSecret(ctx: WebhookCtx, input: { id: string }): Promise<WebhookEndpointWithSecret> {
  authorize(ctx.actor, 'rotateWebhookSecret');
  return withAudit(ctx, { action: 'rotateWebhookSecret', subjectType: 'webhook_endpoint', subjectId: (endpoint) => endpoint.id }, async (tx) => {
    const current = await loadEndpoint(tx, input.id, { lock: true });
    const now = tx.clock();
    const [row] = await tx.db
      .update(webhookEndpoints)
      .set({ secret: generateSecret(), previousSecret: current.secret, previousSecretExpiresAt: new Date(now.getTime() + SECRET_OVERLAP_MS), updatedAt: now })
      .where(and(eq(webhookEndpoints.orgId, tx.actor.org), eq(webhookEndpoints.id, current.id)))
      .returning();
    return { ...presentEndpoint(row!, now), secret: row!.secret };
  });
}
