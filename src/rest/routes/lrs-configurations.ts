import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CreateLrsConfigurationInput, ListLrsConfigurationsQuery, LrsConfiguration, LrsConfigurationPage, UpdateLrsConfigurationInput } from '../../delivery/xapi/schemas.ts';
import { ListAttemptsQuery, WebhookAttemptPage } from '../../webhooks/schemas/attempt.ts';
import type { WebhookServices } from '../../webhooks/services.ts';
import { crudRoutes } from '../crud-routes.ts';
import { IdParams, problems } from '../route-kit.ts';

/** Learning Record Stores the organisation's xAPI statements go to: admin and integration roles. */
export async function lrsConfigurationRoutes(fastify: FastifyInstance, { webhooks }: { webhooks: WebhookServices }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['xapi'];

  crudRoutes(fastify, {
    path: '/lrs-configurations',
    tags,
    operations: {
      create: { operationId: 'createLrsConfiguration', summary: 'Send xAPI statements to a Learning Record Store (its password is never shown again)' },
      list: { operationId: 'listLrsConfigurations', summary: 'List LRS configurations' },
      get: { operationId: 'getLrsConfiguration', summary: 'Read an LRS configuration (never its password)' },
      update: {
        operationId: 'updateLrsConfiguration',
        summary: 'Change the endpoint, credentials, version, actor form or event types; disable, or re-enable (resumes paused statements)',
      },
      delete: { operationId: 'deleteLrsConfiguration', summary: 'Delete an LRS configuration with its attempt log' },
    },
    schemas: { create: CreateLrsConfigurationInput, created: LrsConfiguration, item: LrsConfiguration, update: UpdateLrsConfigurationInput, listQuery: ListLrsConfigurationsQuery, page: LrsConfigurationPage },
    service: {
      create: webhooks.createLrsConfiguration,
      list: webhooks.listLrsConfigurations,
      get: webhooks.getLrsConfiguration,
      update: webhooks.updateLrsConfiguration,
      delete: webhooks.deleteLrsConfiguration,
    },
  });

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
