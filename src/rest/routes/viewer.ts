import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Viewer } from '../../domain/schemas/viewer.ts';
import { problems } from '../route-kit.ts';

export async function viewerRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    {
      schema: {
        operationId: 'getViewer',
        summary: 'Who the bearer token says you are',
        tags: ['viewer'],
        security: [{ bearerAuth: [] }],
        response: { 200: Viewer, ...problems() },
      },
    },
    async (request) => ({ sub: request.actor.sub, org: request.actor.org, roles: request.actor.roles }),
  );
}
