import { authorize } from '../../domain/permissions.ts';
import { loadEvent, type WebhookCtx } from '../context.ts';
import type { EventMessage } from '../schemas/event.ts';
import { presentEvent } from './present-event.ts';

export async function getEvent(ctx: WebhookCtx, input: { id: string }): Promise<EventMessage> {
  authorize(ctx.actor, 'getEvent');
  return presentEvent(await loadEvent(ctx, input.id));
}
