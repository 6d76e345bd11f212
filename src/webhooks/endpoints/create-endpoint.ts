import { authorize } from '../../domain/permissions.ts';
import { withAudit } from '../../domain/audit/record-audit.ts';
import { parseInput } from '../../domain/validate.ts';
import { type WebhookCtx } from '../context.ts';
import { CreateWebhookEndpointInput, type WebhookEndpointWithSecret } from '../schemas/endpoint.ts';
import { generateSecret } from '../secrets.ts';
import { presentEndpoint } from './present-endpoint.ts';
import { requireSafeUrl } from './guard-url.ts';
import { insertEndpoint } from './insert-endpoint.ts';

/** Registers an endpoint; its secret is in this answer and never again. */
export async function createWebhookEndpoint(ctx: WebhookCtx, rawInput: CreateWebhookEndpointInput): Promise<WebhookEndpointWithSecret> {
  authorize(ctx.actor, 'createWebhookEndpoint');
  const input = parseInput(CreateWebhookEndpointInput, rawInput);
  const url = await requireSafeUrl(ctx, input.url);
  return withAudit(ctx, { action: 'createWebhookEndpoint', subjectType: 'webhook_endpoint', subjectId: (endpoint) => endpoint.id }, async (tx) => {
    const row = await insertEndpoint(tx, { url, description: input.description ?? null, eventTypes: input.eventTypes ?? [], includeNames: input.includeNames ?? true, secret: generateSecret() });
    return { ...presentEndpoint(row, tx.clock()), secret: row.secret };
  });
}
