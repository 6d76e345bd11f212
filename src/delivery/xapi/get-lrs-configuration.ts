import { authorize } from '../../domain/permissions.ts';
import { loadEndpoint, type WebhookCtx } from '../../webhooks/context.ts';
import { presentLrsConfiguration } from './present-lrs-configuration.ts';
import type { LrsConfiguration } from './schemas.ts';

export async function getLrsConfiguration(ctx: WebhookCtx, input: { id: string }): Promise<LrsConfiguration> {
  authorize(ctx.actor, 'getLrsConfiguration');
  return presentLrsConfiguration(await loadEndpoint(ctx, input.id, { channel: 'xapi' }));
}
