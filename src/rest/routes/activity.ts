import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../domain/services.ts';
import { LogSessionInput, RecordReflectionInput, Reflection, Session } from '../../domain/schemas/activity.ts';
import { PageQuery, pageOf } from '../../domain/schemas/common.ts';
import { IdParams, IdempotencyHeaders, created, problems } from '../route-kit.ts';

export async function activityRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const writeProblems = problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE');

  app.post(
    '/relationships/:id/sessions',
    {
      schema: { operationId: 'logSession', summary: 'Log a meeting', tags: ['sessions'], params: IdParams, headers: IdempotencyHeaders, body: LogSessionInput, response: { 201: Session, ...writeProblems } },
    },
    async (request, reply) => {
      const session = await services.logSession(request.actor, { relationshipId: request.params.id, session: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/sessions/${session.id}`, session);
    },
  );

  app.get(
    '/relationships/:id/sessions',
    {
      schema: { operationId: 'listSessions', summary: 'Meetings, oldest first', tags: ['sessions'], params: IdParams, querystring: PageQuery, response: { 200: pageOf(Session, 'Session'), ...problems('NOT_FOUND') } },
    },
    async (request) => services.listSessions(request.actor, { relationshipId: request.params.id, ...request.query }),
  );

  app.post(
    '/relationships/:id/reflections',
    {
      schema: {
        operationId: 'recordReflection',
        summary: 'Write a progress, feedback or closing reflection',
        tags: ['reflections'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: RecordReflectionInput,
        response: { 201: Reflection, ...writeProblems },
      },
    },
    async (request, reply) => {
      const reflection = await services.recordReflection(request.actor, { relationshipId: request.params.id, reflection: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/reflections/${reflection.id}`, reflection);
    },
  );

  app.get(
    '/relationships/:id/reflections',
    {
      schema: {
        operationId: 'listReflections',
        summary: 'Reflections, oldest first',
        tags: ['reflections'],
        params: IdParams,
        querystring: PageQuery,
        response: { 200: pageOf(Reflection, 'Reflection'), ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.listReflections(request.actor, { relationshipId: request.params.id, ...request.query }),
  );
}
