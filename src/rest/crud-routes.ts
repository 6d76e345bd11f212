import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../domain/context.ts';
import { IdParams, IdempotencyHeaders, created, problems } from './route-kit.ts';

type Operation = 'create' | 'list' | 'get' | 'update' | 'delete';

/**
 * An organisation-wide resource managed as a whole (webhook endpoints, LRS configurations): create
 * (201 with Location, Idempotency-Key), list, read, change, delete (204). The resource's own
 * routes (rotate a secret, its attempt log) stay beside it in its route file.
 */
export interface CrudResource<Create extends z.ZodType, Update extends z.ZodType, Query extends z.ZodType> {
  /** The collection under /v1, e.g. `/webhook-endpoints`. */
  path: string;
  tags: string[];
  /** Each operation's operationId and summary. */
  operations: Record<Operation, { operationId: string; summary: string }>;
  schemas: { create: Create; created: z.ZodType; item: z.ZodType; update: Update; listQuery: Query; page: z.ZodType };
  service: {
    create: (actor: Actor, input: z.infer<Create>) => Promise<{ id: string }>;
    list: (actor: Actor, query: z.infer<Query>) => Promise<unknown>;
    get: (actor: Actor, input: { id: string }) => Promise<unknown>;
    update: (actor: Actor, input: { id: string; changes: z.infer<Update> }) => Promise<unknown>;
    delete: (actor: Actor, input: { id: string }) => Promise<unknown>;
  };
}

export function crudRoutes<Create extends z.ZodType, Update extends z.ZodType, Query extends z.ZodType>(fastify: FastifyInstance, resource: CrudResource<Create, Update, Query>) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { path, tags, operations: op, schemas, service } = resource;
  const byId = `${path}/:id`;

  app.post(
    path,
    {
      schema: {
        ...op.create,
        tags,
        headers: IdempotencyHeaders,
        body: schemas.create,
        response: { 201: schemas.created, ...problems('FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const made = await service.create(request.actor, request.body as z.infer<Create>);
      return created(reply, `/v1${path}/${made.id}`, made);
    },
  );
  app.get(path, { schema: { ...op.list, tags, querystring: schemas.listQuery, response: { 200: schemas.page, ...problems('FORBIDDEN') } } }, async (request) =>
    service.list(request.actor, request.query as z.infer<Query>),
  );
  app.get(byId, { schema: { ...op.get, tags, params: IdParams, response: { 200: schemas.item, ...problems('FORBIDDEN', 'NOT_FOUND') } } }, async (request) =>
    service.get(request.actor, request.params),
  );
  app.patch(
    byId,
    { schema: { ...op.update, tags, params: IdParams, body: schemas.update, response: { 200: schemas.item, ...problems('FORBIDDEN', 'NOT_FOUND') } } },
    async (request) => service.update(request.actor, { id: request.params.id, changes: request.body as z.infer<Update> }),
  );
  app.delete(
    byId,
    { schema: { ...op.delete, tags, params: IdParams, response: { 204: z.null().meta({ description: 'Deleted.' }), ...problems('FORBIDDEN', 'NOT_FOUND') } } },
    async (request, reply) => {
      await service.delete(request.actor, request.params);
      return reply.code(204).send(null);
    },
  );
}
