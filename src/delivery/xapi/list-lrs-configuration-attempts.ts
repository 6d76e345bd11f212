import { eq } from 'drizzle-orm';
import { webhookAttempts } from '../../db/schema.ts';
import { authorize } from '../../domain/permissions.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { loadEndpoint, type WebhookCtx } from '../../webhooks/context.ts';
import { listAttempts } from '../../webhooks/log/list-attempts.ts';
import type { ListAttemptsQuery, WebhookAttempt } from '../../webhooks/schemas/attempt.ts';

/** The attempt log of one LRS: the same log, filters and pages as a webhook endpoint's. */
export async function listLrsConfigurationAttempts(ctx: WebhookCtx, input: { id: string; query: ListAttemptsQuery }): Promise<Page<WebhookAttempt>> {
  authorize(ctx.actor, 'listLrsConfigurationAttempts');
  const lrs = await loadEndpoint(ctx, input.id, { channel: 'xapi' });
  return listAttempts(ctx, eq(webhookAttempts.endpointId, lrs.id), input.query);
}
