import type { outboxEvents } from '../db/schema.ts';

export type OutboxEventRow = typeof outboxEvents.$inferSelect;

/**
 * The body sent for an event, the same on every attempt: `{ type, timestamp, data }`, where
 * data is the outbox payload (ids, the organisation, the facts of the change: small by design).
 */
export const messageBody = (event: Pick<OutboxEventRow, 'type' | 'payload' | 'createdAt'>) =>
  JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.payload });
