import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
import { crudRoutes } from '../crud-routes.ts';
import { IdParams, IdempotencyHeaders, problems } from '../route-kit.ts';

/** Webhook endpoints of the caller's organisation: admin and integration roles. */
export async function webhookEndpointRoutes(fastify: FastifyInstance, { webhooks }: { webhooks: WebhookServices }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['webhooks'];

  crudRoutes(fastify, {
    path: '/webhook-endpoints',
    tags,
    operations: {
      create: { operationId: 'createWebhookEndpoint', summary: 'Register a webhook endpoint; the answer carries its signing secret, once' },
      list: { operationId: 'listWebhookEndpoints', summary: 'List webhook endpoints' },
      get: { operationId: 'getWebhookEndpoint', summary: 'Read a webhook endpoint (never its secret)' },
      update: { operationId: 'updateWebhookEndpoint', summary: 'Change the URL, event types or description; disable, or re-enable (resumes paused deliveries)' },
      delete: { operationId: 'deleteWebhookEndpoint', summary: 'Delete a webhook endpoint with its delivery log' },
    },
    schemas: { create: CreateWebhookEndpointInput, created: WebhookEndpointWithSecret, item: WebhookEndpoint, update: UpdateWebhookEndpointInput, listQuery: ListWebhookEndpointsQuery, page: WebhookEndpointPage },
    service: {
      create: webhooks.createWebhookEndpoint,
      list: webhooks.listWebhookEndpoints,
      get: webhooks.getWebhookEndpoint,
      update: webhooks.updateWebhookEndpoint,
      delete: webhooks.deleteWebhookEndpoint,
    },
  });

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
