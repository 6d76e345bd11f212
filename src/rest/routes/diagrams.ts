import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../domain/services.ts';
import { DiagramQuery, diagramResponse, sendDiagram } from '../render-diagram.ts';
import { IdParams, problems } from '../route-kit.ts';

/** Stage models you can see: SVG drawn by Graphviz, or the DOT source. */
export async function diagramRoutes(fastify: FastifyInstance, { services }: { services: Services }) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/stage-models/:key/diagram',
    {
      schema: {
        operationId: 'getStageModelDiagram',
        summary: 'A built-in stage model drawn: stages, moves with their guards, loops dashed',
        tags: ['stage-models'],
        params: z.strictObject({ key: z.string().max(40) }),
        querystring: DiagramQuery,
        response: { 200: diagramResponse, ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => sendDiagram(reply, { format: request.query.format, accept: request.headers.accept }, (await services.drawStageModel(request.actor, request.params)).dot),
  );

  app.get(
    '/programmes/:id/stage-model/diagram',
    {
      schema: {
        operationId: 'getProgrammeStageModelDiagram',
        summary: "The programme's stage model drawn, built-in or custom",
        tags: ['programmes'],
        params: IdParams,
        querystring: DiagramQuery,
        response: { 200: diagramResponse, ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => sendDiagram(reply, { format: request.query.format, accept: request.headers.accept }, (await services.drawProgrammeModel(request.actor, request.params)).dot),
  );

  app.get(
    '/relationships/:id/diagram',
    {
      schema: {
        operationId: 'getRelationshipDiagram',
        summary: 'The relationship on its stage model: the current stage filled, the path it took from its history drawn bold',
        tags: ['relationships'],
        params: IdParams,
        querystring: DiagramQuery,
        response: { 200: diagramResponse, ...problems('NOT_FOUND') },
      },
    },
    async (request, reply) => sendDiagram(reply, { format: request.query.format, accept: request.headers.accept }, (await services.drawRelationship(request.actor, request.params)).dot),
  );
}
