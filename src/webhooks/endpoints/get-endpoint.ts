import { authorize } from '../../domain/permissions.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import type { WebhookEndpoint } from '../schemas/endpoint.ts';
import { presentEndpoint } from './present-endpoint.ts';

export async function getWebhookEndpoint(ctx: WebhookCtx, input: { id: string }): Promise<WebhookEndpoint> {
  authorize(ctx.actor, 'getWebhookEndpoint');
  return presentEndpoint(await loadEndpoint(ctx, input.id), ctx.clock());
}
