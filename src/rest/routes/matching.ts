import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../domain/services.ts';
import { AcceptMatchingPairsInput, CreateMatchingRunInput, MatchingAcceptance, MatchingRun, MentorSuggestions, SuggestionsQuery } from '../../domain/schemas/matching.ts';
import { IdempotencyHeaders, created, problems } from '../route-kit.ts';

const uuid = z.uuid({ message: 'must be a UUID' });
const RunParams = z.strictObject({ id: uuid, runId: uuid });

export async function matchingRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['matching'];

  app.get(
    '/programmes/:id/mentees/:personId/suggestions',
    {
      schema: {
        operationId: 'suggestMentors',
        summary: 'Mentors suggested for a mentee, ranked, each score explained factor by factor; excluded mentors with why',
        tags,
        params: z.strictObject({ id: uuid, personId: uuid }),
        querystring: SuggestionsQuery,
        response: { 200: MentorSuggestions, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => services.suggestMentors(request.actor, { programmeId: request.params.id, personId: request.params.personId, ...request.query }),
  );

  app.post(
    '/programmes/:id/matching-runs',
    {
      schema: {
        operationId: 'createMatchingRun',
        summary: "Match the programme's unmatched mentees to mentors for the greatest total score (HiGHS), as a proposal",
        description:
          'Nothing is opened: accept the pairs you want with POST …/matching-runs/{runId}/acceptances. 201: solved at once. 202: a large run (over 50,000 mentee × mentor pairs) or `background: true`, status pending, solved by the scheduler; poll the Location or wait for `matching_run.completed` (or `matching_run.failed`, status failed with `failure`, once every attempt of the scheduler has failed).',
        tags,
        headers: IdempotencyHeaders,
        params: z.strictObject({ id: uuid }),
        body: CreateMatchingRunInput,
        response: {
          201: MatchingRun,
          202: MatchingRun,
          ...problems('FORBIDDEN', 'NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE'),
        },
      },
    },
    async (request, reply) => {
      const run = await services.createMatchingRun(request.actor, { programmeId: request.params.id, ...request.body });
      const location = `/v1/programmes/${run.programmeId}/matching-runs/${run.id}`;
      if (run.status !== 'pending') return created(reply, location, run);
      // Solving in the background: poll the Location, or wait for matching_run.completed (or .failed).
      reply.code(202).header('location', location);
      return run;
    },
  );

  app.get(
    '/programmes/:id/matching-runs/:runId',
    {
      schema: {
        operationId: 'getMatchingRun',
        summary: 'A matching run: its status, objective, pairs with explanations, and the mentees left unmatched with why',
        tags,
        params: RunParams,
        response: { 200: MatchingRun, ...problems('FORBIDDEN', 'NOT_FOUND') },
      },
    },
    async (request) => services.getMatchingRun(request.actor, { programmeId: request.params.id, runId: request.params.runId }),
  );

  app.post(
    '/programmes/:id/matching-runs/:runId/acceptances',
    {
      schema: {
        operationId: 'acceptMatchingPairs',
        summary: "Accept all or some of a run's pairs: their relationships open in one transaction, or none do",
        description: 'Each pair is checked again (capacity, active people, no relationship opened since); one that fails refuses the whole request, naming the pair.',
        tags,
        headers: IdempotencyHeaders,
        params: RunParams,
        body: AcceptMatchingPairsInput,
        response: { 201: MatchingAcceptance, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const acceptance = await services.acceptMatchingPairs(request.actor, { programmeId: request.params.id, runId: request.params.runId, ...request.body });
      return created(reply, `/v1/programmes/${request.params.id}/matching-runs/${acceptance.runId}`, acceptance);
    },
  );
}
