import fastifyJwt from '@fastify/jwt';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { createPerTokenLimit } from './auth/per-token-limit.ts';
import { createTokenVerifier } from './auth/verify-token.ts';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/client.ts';
import { startEventFeed } from './db/event-feed.ts';
import { databaseRateLimitStore, purgeRateLimits } from './db/rate-limit-store.ts';
import { systemClock, type Clock } from './domain/context.ts';
import { PURGE_EVERY_MS } from './domain/idempotency/purge-expired-keys.ts';
import { createAuthServices, createCalendarServices, createIdempotency, createServices } from './domain/services.ts';
import { calendarFeedRoutes } from './calendar/routes.ts';
import { renderIcs } from './calendar/render-ics.ts';
import { graphqlApi } from './graphql/plugin.ts';
import { loggerOptions } from './observability/log-redaction.ts';
import { createMetrics, metricsRoute } from './observability/metrics.ts';
import type { Tracing } from './observability/tracing.ts';
import { createScheduler } from './jobs/scheduler.ts';
import { readSchedulerLag } from './jobs/scheduler-lag.ts';
import { openSolver } from './solver/solve-assignment.ts';
import { healthRoutes } from './rest/health-routes.ts';
import { openApiDocument } from './rest/openapi.ts';
import type { Faults } from './rest/faults.ts';
import { handleError, handleNotFound } from './rest/problems.ts';
import { useJsonBodyParser } from './rest/json-body.ts';
import { edgeHeadersFor, registerProtection, requestId } from './rest/protection.ts';
import { stageModelPictures } from './rest/stage-model-pictures.ts';
import { oauthRoutes } from './rest/routes/oauth.ts';
import { v1 } from './rest/v1.ts';
import { scimApi } from './scim/plugin.ts';
import { scimEdgeAnswer } from './scim/errors.ts';
import { clientErrorHandler, refuseWhileClosing } from './rest/edge-answers.ts';
import { DomainError } from './domain/errors.ts';
import { readQueueStats } from './webhooks/queue-stats.ts';
import { createWebhookServices } from './webhooks/services.ts';
import { startWebhookDispatcher, webhookUrlGuard } from './webhooks/start-dispatcher.ts';

const SCIM_PREFIX = '/scim/v2';
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** false: no logging; a stream: the lines go there (tests). Either way at config.logLevel, redacted (observability/log-redaction.ts). */
  logger?: false | { stream: { write(line: string): void } };
  /** Test-only crash points (rest/faults.ts); never in production. */
  faults?: Faults;
  /** OpenTelemetry, when configured (observability/tracing.ts): request and use-case spans. */
  tracing?: Tracing;
}

/**
 * The dispatcher's and scheduler's first rounds wait this long: on a fresh start they warm PGlite's
 * catalog for their tables (about 0.6 s of CPU), which would otherwise delay the first answers.
 * Events committed meanwhile wake the dispatcher at once.
 */
const BACKGROUND_FIRST_ROUND_AFTER_MS = 1000;

/** The one place that wires things, in order. */
export async function buildApp({ config, database, clock = systemClock, logger, faults, tracing }: AppDeps) {
  const edgeHeaders = edgeHeadersFor(config);
  const app = Fastify({
    // Every line, the background workers' too (child loggers), through the one redaction.
    logger: logger === false ? false : loggerOptions(config.logLevel, logger?.stream),
    // A client's X-Request-Id is kept only when it is safe to log and echo (requestId in protection.ts).
    requestIdHeader: false,
    genReqId: requestId,
    // A hop count trusts that many proxies nearest to us (as fastify does for a number).
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A request not answered in time is a 503 problem (Retry-After), whatever it waits for; hijacked replies (WebSockets) are exempt.
    ...(config.timeouts.request ? { handlerTimeout: config.timeouts.request * 1000 } : {}),
    routerOptions: { ignoreTrailingSlash: true },
    // Malformed URLs and the like fail before routing (and before any hook): they leave as problems
    // with the same security headers and request id as every other answer.
    frameworkErrors: (error, request, reply) => {
      edgeHeaders(request, reply);
      return handleError(error, request, reply);
    },
    // What Node's HTTP parser refuses (431, 400, 408) and what arrives while closing (503) are
    // answered as problems, or SCIM errors under /scim/v2, not as fastify's {"error": …} (rest/edge-answers.ts).
    clientErrorHandler: clientErrorHandler(scimEdgeAnswer(SCIM_PREFIX)),
    return503OnClosing: false,
  });
  // First, so that every route and hook registered after it runs inside the request's span.
  if (tracing) await app.register(tracing.requests);
  const metrics = createMetrics({
    ...(database.pool ? { pool: database.pool } : {}),
    queue: () => readQueueStats(database.db, clock()),
    schedulerLag: () => readSchedulerLag(database.db, clock()),
  });
  const hooks = { retried: metrics.retried, ...(tracing ? { around: tracing.around } : {}) };
  const services = createServices({ db: database.db, clock, hooks });
  const authServices = createAuthServices({ db: database.db, clock });
  const idempotency = createIdempotency({ db: database.db, clock, hooks });
  const webhooks = createWebhookServices({ db: database.db, clock, guard: webhookUrlGuard(config) });
  const eventFeed = await startEventFeed(database);
  app.addHook('onClose', () => eventFeed.close());
  // Matching runs are solved in the solver's worker thread (started on the first solve), ended with the app.
  const closeSolver = openSolver({ timeoutMs: config.matching.solveTimeout * 1000 });
  app.addHook('onClose', closeSolver);

  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  // One JSON parser for REST, GraphQL and SCIM: UTF-8 only, declared or not (rest/json-body.ts).
  const jsonBody = useJsonBodyParser(app);
  metrics.observeRequests(app);
  app.addHook('onRequest', (request, reply, done) => {
    edgeHeaders(request, reply);
    done();
  });
  refuseWhileClosing(app);

  await app.register(fastifyJwt, {
    secret: config.jwt.publicKey ? { public: config.jwt.publicKey } : config.jwt.secret,
    verify: {
      algorithms: config.jwt.publicKey ? ['RS256', 'ES256'] : ['HS256'],
      // nbf is checked with the clock skew the token policy allows (src/auth/token-policy.ts).
      ignoreNotBefore: true,
      ...(config.jwt.issuer ? { allowedIss: config.jwt.issuer } : {}),
    },
  });
  app.decorate('verifyBearer', createTokenVerifier(config, (token) => app.jwt.verify(token), authServices.isClientActive));
  await registerProtection(app, config, config.rateLimitStore === 'database' ? databaseRateLimitStore(database.db) : undefined);
  const perTokenLimit = createPerTokenLimit(app, config);
  await app.register(fastifySwagger, openApiDocument);
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(stageModelPictures);

  await app.register(healthRoutes, { isReady: () => database.migrationsCurrent(), timeout: config.timeouts.ready });
  await app.register(metricsRoute, {
    metrics,
    ...(config.metrics.token ? { token: config.metrics.token } : {}),
    refuse: () => new DomainError('UNAUTHENTICATED', 'Send the metrics token as a bearer token (METRICS_TOKEN).'),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(oauthRoutes, { auth: authServices });
  await app.register(v1, { prefix: '/v1', services, idempotency, webhooks, config, perTokenLimit, renderIcs, ...(faults ? { faults } : {}) });
  await app.register(calendarFeedRoutes, { calendar: createCalendarServices({ db: database.db, clock }) });
  await app.register(graphqlApi, { services, webhooks, eventFeed, config, perTokenLimit, onOperation: metrics.graphqlOperation });
  await app.register(scimApi, { prefix: SCIM_PREFIX, services, perTokenLimit, jsonBody });
  // Expired Idempotency-Keys and rate-limit windows are purged hourly (every instance may; the DELETE is harmless twice).
  const purge = setInterval(() => {
    idempotency.purgeExpired().catch((error: unknown) => app.log.warn({ err: error }, 'purging expired Idempotency-Keys failed; retrying in an hour'));
    if (config.rateLimitStore === 'database') {
      purgeRateLimits(database.db).catch((error: unknown) => app.log.warn({ err: error }, 'purging rate-limit windows failed; retrying in an hour'));
    }
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook('onClose', () => clearInterval(purge));
  if (config.webhooks.dispatch) {
    const dispatcher = await startWebhookDispatcher({
      database,
      config,
      eventFeed,
      clock,
      logger: app.log.child({ module: 'webhooks' }),
      onRound: metrics.dispatchRound,
      firstRoundAfterMs: BACKGROUND_FIRST_ROUND_AFTER_MS,
    });
    app.addHook('onClose', () => dispatcher.stop());
  }
  if (config.jobs.run) {
    const scheduler = createScheduler({ database, clock, logger: app.log.child({ module: 'jobs' }), firstRoundAfterMs: BACKGROUND_FIRST_ROUND_AFTER_MS });
    scheduler.start();
    app.addHook('onClose', () => scheduler.stop());
  }

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
