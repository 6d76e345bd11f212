import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { Kind, NoSchemaIntrospectionCustomRule, type DocumentNode, type ValidationRule } from 'graphql';
import mercurius, { type IResolvers } from 'mercurius';
import type { PerTokenLimit } from '../auth/per-token-limit.ts';
import type { Config } from '../config.ts';
import type { Services } from '../domain/services.ts';
import type { WebhookServices } from '../webhooks/services.ts';
import { fromRoot } from '../root.ts';
import { aliasesLimitRule, directivesLimitRule } from './armor.ts';
import { authenticateConnection, authenticateHttp } from './authenticate.ts';
import type { GraphQLContext } from './context.ts';
import { costLimitRule } from './cost-limit.ts';
import { depthLimitRule } from './depth-limit.ts';
import { requireGraphQLText, validateSubscriptions } from './document-guard.ts';
import { formatExecutionErrors } from './errors.ts';
import { graphiqlRoutes } from './graphiql.ts';
import { bridgeStageChanges } from './event-bridge.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { negotiateResponseType } from './media-type.ts';
import { attachRequestMemo } from './request-memo.ts';
import { buildLoaders } from './resolvers/loaders.ts';
import { lrsMutationResolvers, lrsQueryResolvers } from './resolvers/lrs-configurations.ts';
import { mutationResolvers } from './resolvers/mutation.ts';
import { queryResolvers } from './resolvers/query.ts';
import { subscriptionResolvers } from './resolvers/subscription.ts';
import type { EventSource } from './stage-change.ts';
import { webSocketGuard } from './ws-guard.ts';

export const schemaSource = readFileSync(fromRoot('schema.graphql'), 'utf8');

/** Deep enough for a relationship screen (relationships → edges → node → goals → milestones → …). */
export const QUERY_DEPTH_LIMIT = 8;
/** About 100 relationships with their people, programme, goals, history and next stages. */
export const QUERY_COST_LIMIT = 20_000;
/** Documents are bounded before they run (GraphQL Armor, and graphql's own token limit while parsing). */
export const DOCUMENT_LIMITS = { aliases: 20, directives: 20, tokens: 5_000 } as const;

export interface GraphQLOptions {
  services: Services;
  /** The outbox channels' use cases (LRS configurations). */
  webhooks: WebhookServices;
  eventFeed: EventSource;
  config: Pick<Config, 'env' | 'graphql'>;
  /** The per-token budget REST spends too: every GraphQL request and WebSocket operation spends one. */
  perTokenLimit: PerTokenLimit;
  /** Hears each operation about to run, by name and type (metrics). */
  onOperation?: (name: string | undefined, type: string) => void;
}

/** Every limit a document must pass before it runs, queries and subscriptions alike. */
export function validationRulesFor(config: Pick<Config, 'graphql'>): ValidationRule[] {
  return [
    depthLimitRule(QUERY_DEPTH_LIMIT),
    costLimitRule(QUERY_COST_LIMIT),
    aliasesLimitRule(DOCUMENT_LIMITS.aliases),
    directivesLimitRule(DOCUMENT_LIMITS.directives),
    ...(config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/** /graphql (POST, and GET for queries), the subscription WebSocket, and GraphiQL outside production. */
export async function graphqlApi(app: FastifyInstance, { services, webhooks, eventFeed, config, perTokenLimit, onOperation }: GraphQLOptions) {
  const validationRules = validationRulesFor(config);
  const resolvers: Resolvers = {
    Query: { ...queryResolvers(services), ...lrsQueryResolvers(webhooks) },
    Mutation: { ...mutationResolvers(services), ...lrsMutationResolvers(webhooks) },
    Subscription: subscriptionResolvers(services),
  };
  const guard = webSocketGuard(app, {
    limit: perTokenLimit,
    rules: validationRules,
    maxTokens: DOCUMENT_LIMITS.tokens,
    connectionInitTimeoutMs: config.graphql.connectionInitTimeoutMs,
  });
  // openapi.yaml describes REST; GraphQL is described by schema.graphql.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
    // Every /graphql WebSocket passes the guard (close codes, token budget) before mercurius sees it.
    const { wsHandler } = route as typeof route & { wsHandler?: (this: unknown, socket: never, request: unknown) => unknown };
    if (wsHandler) {
      Object.assign(route, {
        wsHandler(this: unknown, socket: never, request: unknown) {
          guard(socket);
          return wsHandler.call(this, socket, request);
        },
      });
    }
    // GraphQL over HTTP: `extensions` may be null, as `variables` and `operationName` may.
    const body = route.schema.body as { properties?: Record<string, unknown> } | undefined;
    if (body?.properties?.extensions) route.schema.body = { ...body, properties: { ...body.properties, extensions: { type: ['object', 'null'] } } };
  });
  await app.register(mercurius, {
    schema: schemaSource,
    resolvers: resolvers as IResolvers,
    loaders: buildLoaders(services),
    path: '/graphql',
    // mercurius' GraphiQL loads React and GraphiQL from a CDN; ours is served from installed packages.
    graphiql: false,
    jit: 1,
    validationRules,
    graphql: { parseOptions: { maxTokens: DOCUMENT_LIMITS.tokens } },
    errorFormatter: formatExecutionErrors,
    context: (request): Partial<GraphQLContext> => ({ actor: request.actor }),
    additionalRouteOptions: { preHandler: authenticateHttp(perTokenLimit), onSend: negotiateResponseType },
    subscription: { onConnect: authenticateConnection(app) },
  });
  if (config.env !== 'production') await app.register(graphiqlRoutes);
  app.graphql.addHook('preValidation', requireGraphQLText);
  app.graphql.addHook('preExecution', attachRequestMemo);
  app.graphql.addHook('preSubscriptionExecution', validateSubscriptions(validationRules));
  if (onOperation) {
    const hear = (document: DocumentNode) => {
      for (const definition of document.definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION) onOperation(definition.name?.value, definition.operation);
      }
    };
    app.graphql.addHook('preExecution', async (_schema, document) => hear(document));
    app.graphql.addHook('preSubscriptionExecution', async (_schema, document) => hear(document));
  }
  bridgeStageChanges(app, eventFeed);
}
