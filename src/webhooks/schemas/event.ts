import { z } from 'zod';
import { Id, PageQuery, Timestamp } from '../../domain/schemas/common.ts';
import { EventTypeName } from './endpoint.ts';

export const EventMessage = z
  .object({
    id: Id.meta({ description: 'The `webhook-id` of its deliveries.' }),
    type: z.string(),
    timestamp: Timestamp,
    subjectId: Id,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Event', description: 'An event as sent to webhooks (`type`, `timestamp`, `data`), with its id.' });
export type EventMessage = z.infer<typeof EventMessage>;

export const EventPage = z
  .object({
    items: z.array(EventMessage),
    nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
    pollCursor: z.string().nullable().meta({ description: 'Where to resume polling later: after every event this page and the ones before it have shown. Events committed later, in any order, come after it.' }),
  })
  .meta({ id: 'EventPage' });
export type EventPage = z.infer<typeof EventPage>;

export const ListEventsQuery = PageQuery.extend({
  type: EventTypeName.optional(),
  // A feed cursor names the database snapshots the poller has read up to: each lists the transactions
  // running when it was taken, so it can be longer than other lists' cursors.
  cursor: z.string().max(4096).optional().meta({ description: 'The `nextCursor` or `pollCursor` of the previous page.' }),
});
export type ListEventsQuery = z.input<typeof ListEventsQuery>;

export const ResendEventInput = z
  .strictObject({ endpointId: Id.optional().meta({ description: 'One endpoint; without it, every enabled endpoint subscribed to the event type.' }) })
  .meta({ id: 'ResendEvent' });
export type ResendEventInput = z.input<typeof ResendEventInput>;

export const ResendAccepted = z.object({ eventId: Id, deliveryIds: z.array(Id) }).meta({ id: 'EventResendAccepted' });
export type ResendAccepted = z.infer<typeof ResendAccepted>;

export const EventTypeCatalogue = z
  .object({
    items: z.array(
      z.object({
        type: z.string(),
        description: z.string(),
        schema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema (2020-12) of the whole message: type, timestamp, data.' }),
      }),
    ),
  })
  .meta({ id: 'EventTypeCatalogue' });
export type EventTypeCatalogue = z.infer<typeof EventTypeCatalogue>;
