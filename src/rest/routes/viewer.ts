import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Viewer } from '../../domain/schemas/viewer.ts';

export async function viewerRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    {
      schema: {
        operationId: 'getViewer',
        summary: 'Who the bearer token says you are',
        tags: ['viewer'],
        security: [{ bearerAuth: [] }],
        response: { 200: Viewer },
      },
    },
    async (request) => ({ sub: request.actor.sub, org: request.actor.org, roles: request.actor.roles }),
  );
}
