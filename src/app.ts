import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { createTokenVerifier } from './auth/verify-token.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { startEventFeed } from './db/event-feed.ts';
import { systemClock, type Clock } from './domain/context.ts';
import { createAuthServices, createServices } from './domain/services.ts';
import { graphqlApi } from './graphql/plugin.ts';
import { healthRoutes } from './rest/health-routes.ts';
import { openApiDocument } from './rest/openapi.ts';
import { handleError, handleNotFound } from './rest/problems.ts';
import { registerProtection } from './rest/protection.ts';
import { stageModelPictures } from './rest/stage-model-pictures.ts';
import { oauthRoutes } from './rest/routes/oauth.ts';
import { v1 } from './rest/v1.ts';
import { createWebhookServices } from './webhooks/services.ts';
import { startWebhookDispatcher, webhookUrlGuard } from './webhooks/start-dispatcher.ts';

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
    // Malformed URLs and the like fail before routing: they leave as problems too.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
  });
  const services = createServices({ db: database.db, clock });
  const authServices = createAuthServices({ db: database.db, clock });
  const webhooks = createWebhookServices({ db: database.db, clock, guard: webhookUrlGuard(config) });
  const eventFeed = await startEventFeed(database);
  app.addHook('onClose', () => eventFeed.close());

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyJwt, {
    secret: config.jwt.publicKey ? { public: config.jwt.publicKey } : config.jwt.secret,
    verify: { algorithms: config.jwt.publicKey ? ['RS256', 'ES256'] : ['HS256'], ...(config.jwt.issuer ? { allowedIss: config.jwt.issuer } : {}) },
  });
  app.decorate('verifyBearer', createTokenVerifier(config, (token) => app.jwt.verify(token), authServices.isClientActive));
  await registerProtection(app, config);
  await app.register(fastifySwagger, openApiDocument);
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(stageModelPictures);

  await app.register(healthRoutes, { isReady: () => database.migrationsCurrent() });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(oauthRoutes, { auth: authServices });
  await app.register(v1, { prefix: '/v1', services, webhooks, config });
  await app.register(graphqlApi, { services, eventFeed, config });
  if (config.webhooks.dispatch) {
    const dispatcher = await startWebhookDispatcher({ database, config, eventFeed, clock, logger: app.log.child({ module: 'webhooks' }) });
    app.addHook('onClose', () => dispatcher.stop());
  }

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
