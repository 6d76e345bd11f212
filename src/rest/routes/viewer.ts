import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Viewer } from '../../domain/schemas/viewer.ts';
import { problems } from '../route-kit.ts';
import type { Services } from '../../domain/services.ts';

export async function viewerRoutes(app: FastifyInstance, { services }: { services: Services }) {
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
    async (request) => services.getViewer(request.actor, {}),
  );
}
