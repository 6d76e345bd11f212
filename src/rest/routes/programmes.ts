import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../domain/services.ts';
import { CreateProgrammeInput, ListProgrammesQuery, Programme, ProgrammePage, StageModel, UpdateProgrammeInput } from '../../domain/schemas/programme.ts';
import { ProgrammeReport, ReportQuery } from '../../domain/schemas/report.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';

export async function programmeRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['programmes'];

  app.post(
    '/programmes',
    {
      schema: {
        operationId: 'createProgramme',
        summary: 'Create a programme with a built-in or custom stage model',
        tags,
        headers: IdempotencyHeaders,
        body: CreateProgrammeInput,
        response: { 201: Programme, ...problems('FORBIDDEN', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const programme = await services.createProgramme(request.actor, request.body);
      return created(reply, `/v1/programmes/${programme.id}`, programme);
    },
  );

  app.get(
    '/programmes',
    { schema: { operationId: 'listProgrammes', summary: 'List programmes', tags, querystring: ListProgrammesQuery, response: { 200: ProgrammePage, ...problems() } } },
    async (request) => services.listProgrammes(request.actor, request.query),
  );

  app.get(
    '/programmes/:id',
    { schema: { operationId: 'getProgramme', summary: 'Read a programme', tags, params: IdParams, response: { 200: Programme, ...problems('NOT_FOUND') } } },
    async (request) => services.getProgramme(request.actor, request.params),
  );

  app.patch(
    '/programmes/:id',
    {
      schema: {
        operationId: 'updateProgramme',
        summary: 'Change a programme: its name and settings, and its stage model while it has no relationships',
        description: 'Send only the fields to change. Changing the stage model of a programme with relationships answers 409.',
        tags,
        params: IdParams,
        body: UpdateProgrammeInput,
        response: { 200: Programme, ...problems('NOT_FOUND', 'CONFLICT') },
      },
    },
    async (request) => services.updateProgramme(request.actor, { id: request.params.id, changes: request.body }),
  );

  app.get(
    '/programmes/:id/report',
    {
      schema: {
        operationId: 'getProgrammeReport',
        summary: 'Relationships per stage and status, median days per stage, goal achievement, quiet pairs',
        tags,
        params: IdParams,
        querystring: ReportQuery,
        response: { 200: ProgrammeReport, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => services.getProgrammeReport(request.actor, { id: request.params.id, ...request.query }),
  );

  app.get(
    '/stage-models',
    {
      schema: {
        operationId: 'listStageModels',
        summary: 'The built-in stage models',
        description: 'classic-4 (initiation, negotiation, growth, closure) and five-stage (rapport … closure). Read-only.',
        tags: ['stage-models'],
        response: { 200: z.object({ items: z.array(StageModel) }), ...problems() },
      },
    },
    async (request) => services.listStageModels(request.actor, {}),
  );

  app.get(
    '/stage-models/:key',
    {
      schema: {
        operationId: 'getStageModel',
        summary: 'One built-in stage model',
        tags: ['stage-models'],
        params: z.strictObject({ key: z.string().max(40) }),
        response: { 200: StageModel, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.getStageModel(request.actor, request.params),
  );
}
