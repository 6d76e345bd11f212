import { authorize } from '../../domain/permissions.ts';
import { eq } from 'drizzle-orm';
import { webhookAttempts } from '../../db/schema.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { loadEvent, type WebhookCtx } from '../context.ts';
import { ListAttemptsQuery, type WebhookAttempt } from '../schemas/attempt.ts';
import { listAttempts } from './list-attempts.ts';

/** Every attempt to deliver one event, to every endpoint. */
export async function listEventAttempts(ctx: WebhookCtx, input: { id: string; query: ListAttemptsQuery }): Promise<Page<WebhookAttempt>> {
  authorize(ctx.actor, 'listEventAttempts');
  const event = await loadEvent(ctx, input.id);
  return listAttempts(ctx, eq(webhookAttempts.eventId, event.id), input.query);
}
