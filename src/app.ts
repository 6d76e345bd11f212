import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { startEventFeed } from './db/event-feed.ts';
import { systemClock, type Clock } from './domain/context.ts';
import { createServices } from './domain/services.ts';
import { healthRoutes } from './rest/health-routes.ts';
import { openApiDocument } from './rest/openapi.ts';
import { handleError, handleNotFound } from './rest/problems.ts';
import { v1 } from './rest/v1.ts';

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  logger?: FastifyServerOptions['logger'];
}

/** The one place that wires things, in order. */
export async function buildApp({ config, database, clock = systemClock, logger }: AppDeps) {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel },
    requestIdHeader: 'x-request-id',
    genReqId: () => uuidv7(),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
  });
  const services = createServices({ db: database.db, clock });
  const eventFeed = await startEventFeed(database);
  app.addHook('onClose', () => eventFeed.close());

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyJwt, {
    secret: config.jwt.publicKey ? { public: config.jwt.publicKey } : config.jwt.secret,
    ...(config.jwt.issuer ? { verify: { allowedIss: config.jwt.issuer } } : {}),
  });
  await app.register(fastifySwagger, openApiDocument);
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes, { isReady: () => database.migrationsCurrent() });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(v1, { prefix: '/v1', services });
  // GraphQL: registered here (src/graphql/).
  // Webhooks: registered here (src/webhooks/).

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
