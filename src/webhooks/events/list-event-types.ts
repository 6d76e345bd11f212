import { authorize } from '../../domain/permissions.ts';
import { type WebhookCtx } from '../context.ts';
import { eventTypeCatalogue } from '../event-catalogue.ts';
import type { EventTypeCatalogue } from '../schemas/event.ts';

const catalogue = eventTypeCatalogue();

/** Every event type with a description and the JSON Schema of its message. */
export async function listEventTypes(ctx: WebhookCtx, _input: Record<string, never> = {}): Promise<EventTypeCatalogue> {
  authorize(ctx.actor, 'listEventTypes');
  return { items: catalogue };
}
