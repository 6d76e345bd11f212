import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../domain/services.ts';
import { PageQuery } from '../../domain/schemas/common.ts';
import {
  AcceptFitInput,
  Agreement,
  HistoryPage,
  ListRelationshipsQuery,
  NextStages,
  OpenRelationshipInput,
  RapportInput,
  Relationship,
  RelationshipPage,
  TransitionInput,
} from '../../domain/schemas/relationship.ts';
import { IdParams, IdempotencyHeaders, IfMatchHeaders, PostChangeHeaders, created, expectedVersion, problems, withEtag } from '../route-kit.ts';

export async function relationshipRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['relationships'];
  const changed = { 200: Relationship, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'VERSION_CONFLICT') };

  app.post(
    '/relationships',
    {
      schema: {
        operationId: 'openRelationship',
        summary: 'Pair a mentor and a mentee in a programme; starts at the first stage',
        tags,
        headers: IdempotencyHeaders,
        body: OpenRelationshipInput,
        response: { 201: Relationship, ...problems('FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNPROCESSABLE', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_USE') },
      },
    },
    async (request, reply) => {
      const relationship = await services.openRelationship(request.actor, request.body);
      return created(reply, `/v1/relationships/${relationship.id}`, withEtag(reply, relationship));
    },
  );

  app.get(
    '/relationships',
    {
      schema: {
        operationId: 'listRelationships',
        summary: 'List relationships; members see only their own',
        tags,
        querystring: ListRelationshipsQuery,
        response: { 200: RelationshipPage, ...problems() },
      },
    },
    async (request) => services.listRelationships(request.actor, request.query),
  );

  app.get(
    '/relationships/:id',
    {
      schema: {
        operationId: 'getRelationship',
        summary: 'Read a relationship; the ETag is its version',
        tags,
        params: IdParams,
        response: { 200: Relationship, ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => withEtag(reply, await services.getRelationship(request.actor, request.params)),
  );

  app.post(
    '/relationships/:id/acceptances',
    {
      schema: {
        operationId: 'acceptFit',
        summary: 'Mentor or mentee says the fit is right',
        tags,
        params: IdParams,
        headers: PostChangeHeaders,
        body: AcceptFitInput,
        response: changed,
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await services.acceptFit(request.actor, { relationshipId: request.params.id, expectedVersion: expectedVersion(request), acceptance: request.body }),
      ),
  );

  app.put(
    '/relationships/:id/agreement',
    {
      schema: {
        operationId: 'setAgreement',
        summary: 'Set the boundaries: contact, confidentiality, what the mentor can and cannot help with',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: Agreement,
        response: changed,
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await services.setAgreement(request.actor, { relationshipId: request.params.id, expectedVersion: expectedVersion(request), agreement: request.body }),
      ),
  );

  app.put(
    '/relationships/:id/rapport',
    {
      schema: {
        operationId: 'setRapport',
        summary: "Set the mentee's hopes and challenges (the rapport stage of the five-stage model)",
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: RapportInput,
        response: changed,
      },
    },
    async (request, reply) =>
      withEtag(reply, await services.setRapport(request.actor, { relationshipId: request.params.id, expectedVersion: expectedVersion(request), rapport: request.body })),
  );

  app.post(
    '/relationships/:id/transitions',
    {
      schema: {
        operationId: 'transitionRelationship',
        summary: 'Move to another stage, or to completed, declined or withdrawn',
        description:
          'Refused with 409 transition-not-allowed (and the allowed moves) when the model has no such move, and with 409 ' +
          'transition-blocked (and the blockers) while the work of the stage is not done. Admins may override with a reason. ' +
          'A decline may refer the mentee to someone who can mentor (422 otherwise) and open that relationship at once (openReferral).',
        tags,
        params: IdParams,
        headers: PostChangeHeaders,
        body: TransitionInput,
        response: { 200: Relationship, ...problems('FORBIDDEN', 'NOT_FOUND', 'TRANSITION_NOT_ALLOWED', 'VERSION_CONFLICT', 'UNPROCESSABLE', 'IDEMPOTENCY_KEY_REUSED') },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await services.transitionRelationship(request.actor, { relationshipId: request.params.id, expectedVersion: expectedVersion(request), move: request.body }),
      ),
  );

  app.get(
    '/relationships/:id/transitions',
    {
      schema: {
        operationId: 'listTransitions',
        summary: 'The stage history, oldest first',
        tags,
        params: IdParams,
        querystring: PageQuery,
        response: { 200: HistoryPage, ...problems('NOT_FOUND') },
      },
    },
    async (request) => services.listHistory(request.actor, { id: request.params.id, ...request.query }),
  );

  app.get(
    '/relationships/:id/next-stages',
    {
      schema: {
        operationId: 'getNextStages',
        summary: 'Every move from the current stage, whether it is allowed, and what blocks it',
        tags,
        params: IdParams,
        response: { 200: NextStages, ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => withEtag(reply, await services.getNextStages(request.actor, request.params)),
  );
}
