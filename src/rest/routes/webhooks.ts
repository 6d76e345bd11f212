import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ListAttemptsQuery, WebhookAttemptPage } from '../../webhooks/schemas/attempt.ts';
import {
  CreateWebhookEndpointInput,
  ListWebhookEndpointsQuery,
  RecoverInput,
  RecoveryAccepted,
  TestEventAccepted,
  UpdateWebhookEndpointInput,
  WebhookEndpoint,
  WebhookEndpointPage,
  WebhookEndpointWithSecret,
} from '../../webhooks/schemas/endpoint.ts';
import type { WebhookServices } from '../../webhooks/services.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';

/** Webhook endpoints of the caller's organisation: admin and integration roles. */
export async function webhookEndpointRoutes(fastify: FastifyInstance, { webhooks }: { webhooks: WebhookServices }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];

  app.post(
    '/webhook-endpoints',
    {
      schema: {
        operationId: 'createWebhookEndpoint',
        summary: 'Register a webhook endpoint; the answer carries its signing secret, once',
        tags,
        headers: IdempotencyHeaders,
        body: CreateWebhookEndpointInput,
        response: { 201: WebhookEndpointWithSecret, ...problems('FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const endpoint = await webhooks.createWebhookEndpoint(request.actor, request.body);
      return created(reply, `/v1/webhook-endpoints/${endpoint.id}`, endpoint);
    },
  );

  app.get(
    '/webhook-endpoints',
    {
      schema: {
        operationId: 'listWebhookEndpoints',
        summary: 'List webhook endpoints',
        tags,
        querystring: ListWebhookEndpointsQuery,
        response: { 200: WebhookEndpointPage, ...problems('FORBIDDEN') },
      },
    },
    async (request) => webhooks.listWebhookEndpoints(request.actor, request.query),
  );

  app.get(
    '/webhook-endpoints/:id',
    {
      schema: { operationId: 'getWebhookEndpoint', summary: 'Read a webhook endpoint (never its secret)', tags, params: IdParams, response: { 200: WebhookEndpoint, ...problems('FORBIDDEN', 'NOT_FOUND') } },
    },
    async (request) => webhooks.getWebhookEndpoint(request.actor, request.params),
  );

  app.patch(
    '/webhook-endpoints/:id',
    {
      schema: {
        operationId: 'updateWebhookEndpoint',
        summary: 'Change the URL, event types or description; disable, or re-enable (resumes paused deliveries)',
        tags,
        params: IdParams,
        body: UpdateWebhookEndpointInput,
        response: { 200: WebhookEndpoint, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => webhooks.updateWebhookEndpoint(request.actor, { id: request.params.id, changes: request.body }),
  );

  app.delete(
    '/webhook-endpoints/:id',
    {
      schema: {
        operationId: 'deleteWebhookEndpoint',
        summary: 'Delete a webhook endpoint with its delivery log',
        tags,
        params: IdParams,
        response: { 204: z.null().meta({ description: 'Deleted.' }), ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await webhooks.deleteWebhookEndpoint(request.actor, request.params);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/webhook-endpoints/:id/rotate-secret',
    {
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'A new signing secret, shown once; the old one keeps signing too for 24 hours',
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 200: WebhookEndpointWithSecret, ...problems('FORBIDDEN', 'NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request) => webhooks.rotateWebhookSecret(request.actor, request.params),
  );

  app.post(
    '/webhook-endpoints/:id/test',
    {
      schema: {
        operationId: 'sendWebhookTestEvent',
        summary: 'Send an example webhook.test event to this endpoint; read its attempts at /v1/events/{eventId}/attempts',
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        response: { 202: TestEventAccepted, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return webhooks.sendTestEvent(request.actor, request.params);
    },
  );

  app.post(
    '/webhook-endpoints/:id/recover',
    {
      schema: {
        operationId: 'recoverWebhookEndpoint',
        summary: 'Send every event of a window (at most 14 days) this endpoint has not received, now: failed ones again, those waiting for a retry brought forward',
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: RecoverInput,
        response: { 202: RecoveryAccepted, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return webhooks.recoverWebhookEndpoint(request.actor, { id: request.params.id, ...request.body });
    },
  );

  app.get(
    '/webhook-endpoints/:id/attempts',
    {
      schema: {
        operationId: 'listWebhookEndpointAttempts',
        summary: 'The delivery log of an endpoint: every attempt, oldest first',
        tags,
        params: IdParams,
        querystring: ListAttemptsQuery,
        response: { 200: WebhookAttemptPage, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => webhooks.listEndpointAttempts(request.actor, { id: request.params.id, query: request.query }),
  );
}
