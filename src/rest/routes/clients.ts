import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../domain/services.ts';
import { AuditPage, ListAuditEventsQuery } from '../../domain/schemas/audit.ts';
import { ClientPage, CreateClient, CreatedClient, IntegrationClient, ListClientsQuery } from '../../domain/schemas/client.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';

export async function clientRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['clients'];

  app.post(
    '/clients',
    {
      schema: {
        operationId: 'createClient',
        summary: 'Create an integration client; its secret is shown once',
        tags,
        headers: IdempotencyHeaders,
        body: CreateClient,
        response: { 201: CreatedClient, ...problems('IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const client = await services.createClient(request.actor, request.body);
      return created(reply, `/v1/clients/${client.id}`, client);
    },
  );

  app.get(
    '/clients',
    { schema: { operationId: 'listClients', summary: 'List integration clients', tags, querystring: ListClientsQuery, response: { 200: ClientPage, ...problems() } } },
    async (request) => services.listClients(request.actor, request.query),
  );

  app.get(
    '/clients/:id',
    { schema: { operationId: 'getClient', summary: 'Read an integration client', tags, params: IdParams, response: { 200: IntegrationClient, ...problems('NOT_FOUND') } } },
    async (request) => services.getClient(request.actor, request.params),
  );

  app.delete(
    '/clients/:id',
    {
      schema: {
        operationId: 'revokeClient',
        summary: 'Revoke a client: no new tokens at once, live tokens refused within 15 s',
        tags,
        params: IdParams,
        response: { 200: IntegrationClient, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.revokeClient(request.actor, request.params),
  );

  app.get(
    '/audit-events',
    {
      schema: {
        operationId: 'listAuditEvents',
        summary: 'Who changed what, when, from which client (admins)',
        tags: ['audit'],
        querystring: ListAuditEventsQuery,
        response: { 200: AuditPage, ...problems() },
      },
    },
    async (request) => services.listAuditEvents(request.actor, request.query),
  );
}
