import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateLrsConfigurationInput, ListLrsConfigurationsQuery, LrsConfiguration, LrsConfigurationPage, UpdateLrsConfigurationInput } from '../../delivery/xapi/schemas.ts';
import { ListAttemptsQuery, WebhookAttemptPage } from '../../webhooks/schemas/attempt.ts';
import type { WebhookServices } from '../../webhooks/services.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';

/** Learning Record Stores the organisation's xAPI statements go to: admin and integration roles. */
export async function lrsConfigurationRoutes(fastify: FastifyInstance, { webhooks }: { webhooks: WebhookServices }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['xapi'];

  app.post(
    '/lrs-configurations',
    {
      schema: {
        operationId: 'createLrsConfiguration',
        summary: 'Send xAPI statements to a Learning Record Store (its password is never shown again)',
        tags,
        headers: IdempotencyHeaders,
        body: CreateLrsConfigurationInput,
        response: { 201: LrsConfiguration, ...problems('FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const lrs = await webhooks.createLrsConfiguration(request.actor, request.body);
      return created(reply, `/v1/lrs-configurations/${lrs.id}`, lrs);
    },
  );

  app.get(
    '/lrs-configurations',
    {
      schema: {
        operationId: 'listLrsConfigurations',
        summary: 'List LRS configurations',
        tags,
        querystring: ListLrsConfigurationsQuery,
        response: { 200: LrsConfigurationPage, ...problems('FORBIDDEN') },
      },
    },
    async (request) => webhooks.listLrsConfigurations(request.actor, request.query),
  );

  app.get(
    '/lrs-configurations/:id',
    {
      schema: { operationId: 'getLrsConfiguration', summary: 'Read an LRS configuration (never its password)', tags, params: IdParams, response: { 200: LrsConfiguration, ...problems('FORBIDDEN', 'NOT_FOUND') } },
    },
    async (request) => webhooks.getLrsConfiguration(request.actor, request.params),
  );

  app.patch(
    '/lrs-configurations/:id',
    {
      schema: {
        operationId: 'updateLrsConfiguration',
        summary: 'Change the endpoint, credentials, version, actor form or event types; disable, or re-enable (resumes paused statements)',
        tags,
        params: IdParams,
        body: UpdateLrsConfigurationInput,
        response: { 200: LrsConfiguration, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => webhooks.updateLrsConfiguration(request.actor, { id: request.params.id, changes: request.body }),
  );

  app.delete(
    '/lrs-configurations/:id',
    {
      schema: {
        operationId: 'deleteLrsConfiguration',
        summary: 'Delete an LRS configuration with its attempt log',
        tags,
        params: IdParams,
        response: { 204: z.null().meta({ description: 'Deleted.' }), ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request, reply) => {
      await webhooks.deleteLrsConfiguration(request.actor, request.params);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/lrs-configurations/:id/attempts',
    {
      schema: {
        operationId: 'listLrsConfigurationAttempts',
        summary: 'The attempt log of an LRS: every POST of statements, oldest first',
        tags,
        params: IdParams,
        querystring: ListAttemptsQuery,
        response: { 200: WebhookAttemptPage, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => webhooks.listLrsConfigurationAttempts(request.actor, { id: request.params.id, query: request.query }),
  );
}
