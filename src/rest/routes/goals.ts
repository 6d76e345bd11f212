import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../domain/services.ts';
import { AchieveGoalInput, AgreeGoalInput, DropGoalInput, Goal, GoalDraftInput, SmartCheckInput, SmartReport, UpdateGoalInput } from '../../domain/schemas/goal.ts';
import { CompleteTaskInput, MetricReading, ReadingRecorded, RecordReadingInput, ReopenTaskInput } from '../../domain/schemas/progress.ts';
import { PageQuery, pageOf } from '../../domain/schemas/common.ts';
import { IdParams, IdempotencyHeaders, WORK_PROBLEMS, created, problems } from '../route-kit.ts';

const uuid = () => z.uuid({ message: 'must be a UUID' });
const GoalParams = z.strictObject({ id: uuid(), goalId: uuid() });
const TaskParams = GoalParams.extend({ taskId: uuid() });
const MetricParams = GoalParams.extend({ metricId: uuid() });

export async function goalRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['goals'];
  const goalChange = { 200: Goal, ...WORK_PROBLEMS };
  const ids = (params: z.infer<typeof GoalParams>) => ({ relationshipId: params.id, goalId: params.goalId });

  app.post(
    '/relationships/:id/goals',
    {
      schema: {
        operationId: 'createGoal',
        summary: 'Draft a goal with its metrics, milestones and tasks',
        tags,
        params: IdParams,
        headers: IdempotencyHeaders,
        body: GoalDraftInput,
        response: { 201: Goal, ...WORK_PROBLEMS },
      },
    },
    async (request, reply) => {
      const goal = await services.createGoal(request.actor, { relationshipId: request.params.id, goal: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/goals/${goal.id}`, goal);
    },
  );

  app.get(
    '/relationships/:id/goals',
    {
      schema: {
        operationId: 'listGoals',
        summary: "A relationship's goals, oldest first",
        tags,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: pageOf(Goal, 'Goal'), ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.listGoals(request.actor, { relationshipId: request.params.id, ...request.query }),
  );

  app.get(
    '/relationships/:id/goals/:goalId',
    { schema: { operationId: 'getGoal', summary: 'Read a goal', tags, params: GoalParams, response: { 200: Goal, ...problems('NOT_FOUND') } } },
    async (request) => services.getGoal(request.actor, ids(request.params)),
  );

  app.patch(
    '/relationships/:id/goals/:goalId',
    {
      schema: {
        operationId: 'updateGoal',
        summary: 'Edit a goal, keeping its parts by id; only a change to its agreed terms sends an agreed goal back to draft (`reopened` says which)',
        tags,
        params: GoalParams,
        body: UpdateGoalInput,
        response: { 200: Goal, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT') },
      },
    },
    async (request) => services.updateGoal(request.actor, { ...ids(request.params), changes: request.body }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/agree',
    {
      schema: {
        operationId: 'agreeGoal',
        summary: 'Agree a goal; refused with the SMART report when it fails',
        tags,
        params: GoalParams,
        headers: IdempotencyHeaders,
        body: AgreeGoalInput.optional(),
        response: { ...goalChange, ...problems('SMART_FAILED') },
      },
    },
    async (request) => services.agreeGoal(request.actor, { ...ids(request.params), agreement: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/achieve',
    {
      schema: {
        operationId: 'achieveGoal',
        summary: 'Mark an agreed goal achieved, or confirm the other party\'s mark',
        description:
          'One party marks the goal achieved, on its evidence (every metric at or past its target, or every milestone done) or with `achievedDespite` (400 naming it when the evidence does not say so); ' +
          'the other party confirms with the same call, and only then is the goal achieved. Until then `achievement.confirmed` is null and the goal stays agreed. Organisation roles act for the parties named (both by default), recorded as on their behalf.',
        tags,
        params: GoalParams,
        headers: IdempotencyHeaders,
        body: AchieveGoalInput.nullish(),
        response: goalChange,
      },
    },
    async (request) => services.achieveGoal(request.actor, { ...ids(request.params), achievement: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/drop',
    {
      schema: { operationId: 'dropGoal', summary: 'Drop a goal, with a reason', tags, params: GoalParams, headers: IdempotencyHeaders, body: DropGoalInput, response: goalChange },
    },
    async (request) => services.dropGoal(request.actor, { ...ids(request.params), drop: request.body }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/milestones/:milestoneId/complete',
    {
      schema: {
        operationId: 'completeMilestone',
        summary: 'Celebrate a milestone reached',
        tags,
        params: GoalParams.extend({ milestoneId: z.uuid({ message: 'must be a UUID' }) }),
        headers: IdempotencyHeaders,
        response: goalChange,
      },
    },
    async (request) => services.completeMilestone(request.actor, { ...ids(request.params), milestoneId: request.params.milestoneId }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/tasks/:taskId/complete',
    {
      schema: {
        operationId: 'completeTask',
        summary: 'Mark a task of the action plan done (who, when, a note); the goal stays agreed',
        tags,
        params: TaskParams,
        headers: IdempotencyHeaders,
        body: CompleteTaskInput.nullish(),
        response: goalChange,
      },
    },
    async (request) => services.completeTask(request.actor, { ...ids(request.params), taskId: request.params.taskId, completion: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/tasks/:taskId/reopen',
    {
      schema: {
        operationId: 'reopenTask',
        summary: 'Open a task marked done again',
        tags,
        params: TaskParams,
        headers: IdempotencyHeaders,
        body: ReopenTaskInput.nullish(),
        response: goalChange,
      },
    },
    async (request) => services.reopenTask(request.actor, { ...ids(request.params), taskId: request.params.taskId, reopening: request.body ?? {} }),
  );

  app.post(
    '/relationships/:id/goals/:goalId/metrics/:metricId/readings',
    {
      schema: {
        operationId: 'recordMetricReading',
        summary: "Check in on a goal's metric: its value now (or when it was measured)",
        tags,
        params: MetricParams,
        headers: IdempotencyHeaders,
        body: RecordReadingInput,
        response: { 201: ReadingRecorded, ...WORK_PROBLEMS },
      },
    },
    async (request, reply) => {
      const recorded = await services.recordMetricReading(request.actor, { ...ids(request.params), metricId: request.params.metricId, reading: request.body });
      return created(reply, `/v1/relationships/${request.params.id}/goals/${request.params.goalId}/metrics/${request.params.metricId}/readings`, recorded);
    },
  );

  app.get(
    '/relationships/:id/goals/:goalId/metrics/:metricId/readings',
    {
      schema: {
        operationId: 'listMetricReadings',
        summary: "A metric's readings, in the order they were measured (then by id), as on GraphQL",
        tags,
        params: MetricParams,
        querystring: PageQuery,
        response: { 200: pageOf(MetricReading, 'MetricReading'), ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.listMetricReadings(request.actor, { ...ids(request.params), metricId: request.params.metricId, ...request.query }),
  );

  app.post(
    '/smart-checks',
    {
      schema: {
        operationId: 'checkSmart',
        summary: 'Check a goal draft against SMART without saving it',
        tags: ['smart-checks'],
        headers: IdempotencyHeaders,
        body: SmartCheckInput,
        response: { 200: SmartReport, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.checkGoalDraft(request.actor, request.body),
  );
}
