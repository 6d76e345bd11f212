import type { outboxEvents } from '../db/schema.ts';

export type OutboxEventRow = typeof outboxEvents.$inferSelect;

/** The people an event names with their names (docs/events.md): the fields an endpoint with includeNames false never receives. */
const NAMED_PEOPLE = ['mentor', 'mentee'] as const;

/** An event's data without people's names: their ids and externalIds stay. */
export function withoutNames(payload: Record<string, unknown>): Record<string, unknown> {
  if (!NAMED_PEOPLE.some((field) => typeof payload[field] === 'object' && payload[field] !== null)) return payload;
  const copy = { ...payload };
  for (const field of NAMED_PEOPLE) {
    const person = copy[field];
    if (typeof person !== 'object' || person === null) continue;
    const { name: _name, ...rest } = person as Record<string, unknown>;
    copy[field] = rest;
  }
  return copy;
}

/**
 * The body sent for an event, the same on every attempt: `{ type, timestamp, data }`, where
 * data is the outbox payload (the facts of the change and who and what it concerns), without
 * people's names for an endpoint that opted out of them.
 */
export const messageBody = (event: Pick<OutboxEventRow, 'type' | 'payload' | 'createdAt'>, endpoint: { includeNames: boolean } = { includeNames: true }) =>
  JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: endpoint.includeNames ? event.payload : withoutNames(event.payload) });
