import { authorize } from '../../domain/permissions.ts';
import { eq } from 'drizzle-orm';
import { webhookAttempts } from '../../db/schema.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { loadEndpoint, type WebhookCtx } from '../context.ts';
import { ListAttemptsQuery, type WebhookAttempt } from '../schemas/attempt.ts';
import { listAttempts } from './list-attempts.ts';

/** The delivery log of one endpoint, oldest first, filtered by status, event type and time. */
export async function listEndpointAttempts(ctx: WebhookCtx, input: { id: string; query: ListAttemptsQuery }): Promise<Page<WebhookAttempt>> {
  authorize(ctx.actor, 'listWebhookEndpointAttempts');
  const endpoint = await loadEndpoint(ctx, input.id);
  return listAttempts(ctx, eq(webhookAttempts.endpointId, endpoint.id), input.query);
}
