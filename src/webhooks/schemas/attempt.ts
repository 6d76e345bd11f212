import { z } from 'zod';
import { Id, PageQuery, Timestamp, pageOf } from '../../domain/schemas/common.ts';
import { ATTEMPT_TRIGGERS, DELIVERY_STATUSES } from '../../vocabulary.ts';

export const WebhookAttempt = z
  .object({
    id: Id,
    deliveryId: Id,
    endpointId: Id,
    eventId: Id,
    eventType: z.string(),
    attemptNumber: z.number().int(),
    trigger: z.enum(ATTEMPT_TRIGGERS),
    status: z.enum(DELIVERY_STATUSES).meta({ description: '`sending` while in flight, then `succeeded` (a 2xx) or `failed`.' }),
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    responseBody: z.string().nullable().meta({ description: 'The first 16 KiB of the response body.' }),
    nextAttemptAt: Timestamp.nullable().meta({ description: 'When the delivery is tried again after this failure; null when it is not.' }),
    at: Timestamp,
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookAttemptPage = pageOf(WebhookAttempt, 'WebhookAttempt');

export const ListAttemptsQuery = PageQuery.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  eventType: z.string().max(100).optional(),
  since: Timestamp.optional().meta({ description: 'Attempts at or after this time.' }),
  until: Timestamp.optional().meta({ description: 'Attempts before this time.' }),
});
export type ListAttemptsQuery = z.input<typeof ListAttemptsQuery>;
