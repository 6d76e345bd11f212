import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ListAttemptsQuery, WebhookAttemptPage } from '../../webhooks/schemas/attempt.ts';
import { EventMessage, EventPage, EventTypeCatalogue, ListEventsQuery, ResendAccepted, ResendEventInput } from '../../webhooks/schemas/event.ts';
import type { WebhookServices } from '../../webhooks/services.ts';
import { IdParams, IdempotencyHeaders, problems } from '../route-kit.ts';

/** The event log (for pollers), its attempts, resends and the event-type catalogue: admin and integration roles. */
export async function webhookEventRoutes(fastify: FastifyInstance, { webhooks }: { webhooks: WebhookServices }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['events'];

  app.get(
    '/event-types',
    {
      schema: {
        operationId: 'listEventTypes',
        summary: 'Every event type, with the JSON Schema of its message',
        tags,
        response: { 200: EventTypeCatalogue, ...problems('FORBIDDEN') },
      },
    },
    async (request) => webhooks.listEventTypes(request.actor, {}),
  );

  app.get(
    '/events',
    {
      schema: {
        operationId: 'listEvents',
        summary: 'Poll the events of the last 30 days, oldest first',
        description:
          'An event shows up as soon as its transaction has committed: no rollback or transaction still in flight holds it back. One that commits after events recorded after it comes in a later page: never behind your cursor, never twice. Within a page, events come in the order they were recorded (`seq`), and the events of one relationship always in the order they happened. Keep `pollCursor` to resume.',
        tags,
        querystring: ListEventsQuery,
        response: { 200: EventPage, ...problems('FORBIDDEN') },
      },
    },
    async (request) => webhooks.listEvents(request.actor, request.query),
  );

  app.get(
    '/events/:id',
    { schema: { operationId: 'getEvent', summary: 'Read one event', tags, params: IdParams, response: { 200: EventMessage, ...problems('FORBIDDEN', 'NOT_FOUND') } } },
    async (request) => webhooks.getEvent(request.actor, request.params),
  );

  app.get(
    '/events/:id/attempts',
    {
      schema: {
        operationId: 'listEventAttempts',
        summary: 'Every attempt to deliver one event, to every endpoint',
        tags,
        params: IdParams,
        querystring: ListAttemptsQuery,
        response: { 200: WebhookAttemptPage, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => webhooks.listEventAttempts(request.actor, { id: request.params.id, query: request.query }),
  );

  app.post(
    '/events/:id/resend',
    {
      schema: {
        operationId: 'resendEvent',
        summary: 'Send an event again (same webhook-id) to one endpoint or to every subscribed one; tried once',
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: ResendEventInput.nullish(),
        response: { 202: ResendAccepted, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return webhooks.resendEvent(request.actor, { id: request.params.id, ...(request.body ?? {}) });
    },
  );
}
