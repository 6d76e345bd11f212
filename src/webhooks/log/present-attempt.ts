import type { webhookAttempts } from '../../db/schema.ts';
import { iso, isoOrNull } from '../../domain/present.ts';
import type { WebhookAttempt } from '../schemas/attempt.ts';

export const presentAttempt = (row: typeof webhookAttempts.$inferSelect): WebhookAttempt => ({
  id: row.id,
  deliveryId: row.deliveryId,
  endpointId: row.endpointId,
  eventId: row.eventId,
  eventType: row.eventType,
  attemptNumber: row.attemptNumber,
  trigger: row.trigger,
  status: row.status,
  responseStatus: row.responseStatus,
  durationMs: row.durationMs,
  error: row.error,
  responseBody: row.responseBody,
  nextAttemptAt: isoOrNull(row.nextAttemptAt),
  at: iso(row.at),
});
