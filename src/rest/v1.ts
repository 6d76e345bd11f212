import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { validatorCompiler } from './validate.ts';
import { authenticate } from '../auth/authenticate.ts';
import type { PerTokenLimit } from '../auth/per-token-limit.ts';
import type { Idempotency, Services } from '../domain/services.ts';
import type { Faults } from './faults.ts';
import type { Config } from '../config.ts';
import { useIdempotencyKeys } from './idempotency.ts';
import { serializerCompiler } from './serialize.ts';
import { problems } from './route-kit.ts';
import { activityRoutes } from './routes/activity.ts';
import { calendarFeedRoutes } from './routes/calendar-feeds.ts';
import type { CalendarData } from '../domain/calendar/calendar-data.ts';
import { clientRoutes } from './routes/clients.ts';
import { diagramRoutes } from './routes/diagrams.ts';
import { goalRoutes } from './routes/goals.ts';
import { peopleRoutes } from './routes/people.ts';
import { programmeRoutes } from './routes/programmes.ts';
import { relationshipRoutes } from './routes/relationships.ts';
import { viewerRoutes } from './routes/viewer.ts';
import { matchingRoutes } from './routes/matching.ts';
import { lrsConfigurationRoutes } from './routes/lrs-configurations.ts';
import { webhookEventRoutes } from './routes/webhook-events.ts';
import { webhookEndpointRoutes } from './routes/webhooks.ts';
import type { WebhookServices } from '../webhooks/services.ts';

export interface V1Options {
  services: Services;
  idempotency: Idempotency;
  /** Test-only crash points (faults.ts). */
  faults?: Faults;
  config: Config;
  /** The per-token budget, shared with GraphQL (src/auth/per-token-limit.ts). */
  perTokenLimit: PerTokenLimit;
  /** Writes a calendar as iCalendar text (src/calendar/); the .ics routes are registered when given. */
  renderIcs?: (calendar: CalendarData) => string;
  /** The webhook use cases (src/webhooks/); their routes are registered when given. */
  webhooks?: WebhookServices;
}

/** Everything under /v1: zod validation and serialisation, and a verified token on every route. */
export async function v1(app: FastifyInstance, options: V1Options) {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', authenticate);
  app.addHook('onRequest', options.perTokenLimit.hook);
  useIdempotencyKeys(app, options.idempotency, options.faults);
  // Every route that reads a body may refuse it for its size, or for a charset other than UTF-8 (json-body.ts).
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { body?: unknown; response?: Record<number, unknown> } | undefined;
    if (schema?.body && schema.response) Object.assign(schema.response, problems('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'));
  });
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const deps = { services: options.services, ...(options.renderIcs ? { renderIcs: options.renderIcs } : {}) };
  for (const routeModule of [viewerRoutes, programmeRoutes, peopleRoutes, relationshipRoutes, goalRoutes, activityRoutes, calendarFeedRoutes, clientRoutes, diagramRoutes, matchingRoutes]) {
    await routes.register(routeModule, deps);
  }
  if (options.webhooks) {
    for (const routeModule of [webhookEndpointRoutes, webhookEventRoutes, lrsConfigurationRoutes]) await routes.register(routeModule, { webhooks: options.webhooks });
  }
}
