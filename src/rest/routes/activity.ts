import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../domain/services.ts';
import type { CalendarData } from '../../domain/calendar/calendar-data.ts';
import { z } from 'zod';
import { CloseSessionInput, HoldSessionInput, LogSessionInput, PlanSessionInput, RecordReflectionInput, Reflection, Session } from '../../domain/schemas/activity.ts';
import { PageQuery, pageOf } from '../../domain/schemas/common.ts';
import { RhythmStatus } from '../../domain/schemas/rhythm.ts';
import { IdParams, IdempotencyHeaders, WORK_PROBLEMS, created, problems } from '../route-kit.ts';

const SessionParams = IdParams.extend({ sessionId: z.uuid({ message: 'must be a UUID' }) });
const sessionIds = (params: z.infer<typeof SessionParams>) => ({ relationshipId: params.id, sessionId: params.sessionId });

export async function activityRoutes(fastify: FastifyInstance, { services, renderIcs }: { services: Services; renderIcs?: (calendar: CalendarData) => string }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/relationships/:id/sessions',
    {
      schema: { operationId: 'logSession', summary: 'Log a meeting that took place (never in the future)', tags: ['sessions'], params: IdParams, headers: IdempotencyHeaders, body: LogSessionInput, response: { 201: Session, ...WORK_PROBLEMS } },
    },
    async (request, reply) => {
      const session = await services.logSession(request.actor, { relationshipId: request.params.id, session: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/sessions/${session.id}`, session);
    },
  );

  app.post(
    '/relationships/:id/sessions/planned',
    {
      schema: {
        operationId: 'planSession',
        summary: 'Plan a meeting: when, how long, the agenda',
        description:
          'Either party may plan. A mentee may plan the discovery call while the relationship is in its first stage; its length defaults to the programme\'s discovery-call length (20 minutes unless set). Planned for the past: 400.',
        tags: ['sessions'],
        params: IdParams,
        headers: IdempotencyHeaders,
        body: PlanSessionInput,
        response: { 201: Session, ...WORK_PROBLEMS },
      },
    },
    async (request, reply) => {
      const session = await services.planSession(request.actor, { relationshipId: request.params.id, session: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/sessions/${session.id}`, session);
    },
  );

  app.get(
    '/relationships/:id/sessions/:sessionId',
    { schema: { operationId: 'getSession', summary: 'One meeting', tags: ['sessions'], params: SessionParams, response: { 200: Session, ...problems('NOT_FOUND') } } },
    async (request) => services.getSession(request.actor, sessionIds(request.params)),
  );

  if (renderIcs) {
    app.get(
      '/relationships/:id/sessions/:sessionId/calendar.ics',
      {
        schema: {
          operationId: 'getSessionCalendar',
          summary: 'One session as an iCalendar (.ics) file to add to any calendar',
          tags: ['sessions'],
          params: SessionParams,
          response: { 200: { description: 'An iCalendar (RFC 5545) document with one event.', content: { 'text/calendar': { schema: z.string() } } }, ...problems('NOT_FOUND') },
        },
      },
      async (request, reply) => {
        const calendar = await services.getSessionCalendar(request.actor, sessionIds(request.params));
        reply.header('content-disposition', `attachment; filename="session-${request.params.sessionId}.ics"`);
        return reply.type('text/calendar; charset=utf-8').send(renderIcs(calendar));
      },
    );
  }

  app.post(
    '/relationships/:id/sessions/:sessionId/held',
    {
      schema: {
        operationId: 'holdSession',
        summary: 'Mark a planned meeting held: when (never in the future), how long, notes',
        tags: ['sessions'],
        params: SessionParams,
        headers: IdempotencyHeaders,
        body: HoldSessionInput.nullish(),
        response: { 200: Session, ...WORK_PROBLEMS },
      },
    },
    async (request) => services.holdSession(request.actor, { ...sessionIds(request.params), held: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/sessions/:sessionId/cancellation',
    {
      schema: {
        operationId: 'cancelSession',
        summary: 'Cancel a planned meeting',
        tags: ['sessions'],
        params: SessionParams,
        headers: IdempotencyHeaders,
        body: CloseSessionInput.nullish(),
        response: { 200: Session, ...WORK_PROBLEMS },
      },
    },
    async (request) => services.cancelSession(request.actor, { ...sessionIds(request.params), cancellation: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/sessions/:sessionId/missed',
    {
      schema: {
        operationId: 'markSessionMissed',
        summary: 'Mark a planned meeting missed: its time passed without it',
        tags: ['sessions'],
        params: SessionParams,
        headers: IdempotencyHeaders,
        body: CloseSessionInput.nullish(),
        response: { 200: Session, ...WORK_PROBLEMS },
      },
    },
    async (request) => services.markSessionMissed(request.actor, { ...sessionIds(request.params), miss: request.body ?? {} }),
  );

  app.get(
    '/relationships/:id/sessions',
    {
      schema: { operationId: 'listSessions', summary: 'Meetings (planned, held, cancelled, missed), oldest first', tags: ['sessions'], params: IdParams, querystring: PageQuery, response: { 200: pageOf(Session, 'Session'), ...problems('NOT_FOUND') } },
    },
    async (request) => services.listSessions(request.actor, { relationshipId: request.params.id, ...request.query }),
  );

  app.get(
    '/relationships/:id/rhythm',
    {
      schema: {
        operationId: 'getRhythm',
        summary: 'The agreed rhythm: the next session it expects, and sessions held against it',
        description: "The rhythm is set with the agreement (PUT /v1/relationships/{id}/agreement, `rhythm`): an RFC 5545 RRULE in a time zone. Its sessions keep their wall-clock time across daylight-saving changes.",
        tags: ['sessions'],
        params: IdParams,
        response: { 200: RhythmStatus, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.getRhythm(request.actor, { relationshipId: request.params.id }),
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
        response: { 201: Reflection, ...WORK_PROBLEMS },
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
