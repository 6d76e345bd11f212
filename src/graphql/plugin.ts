import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import mercurius, { type IResolvers } from 'mercurius';
import type { Config } from '../config.ts';
import type { Services } from '../domain/services.ts';
import { fromRoot } from '../root.ts';
import { authenticateConnection, authenticateHttp } from './authenticate.ts';
import type { GraphQLContext } from './context.ts';
import { costLimitRule } from './cost-limit.ts';
import { depthLimitRule } from './depth-limit.ts';
import { requireGraphQLText, validateSubscriptions } from './document-guard.ts';
import { formatExecutionErrors } from './errors.ts';
import { bridgeStageChanges } from './event-bridge.ts';
import type { Resolvers } from './generated/resolvers.ts';
import { negotiateResponseType } from './media-type.ts';
import { attachRequestMemo } from './request-memo.ts';
import { buildLoaders } from './resolvers/loaders.ts';
import { mutationResolvers } from './resolvers/mutation.ts';
import { queryResolvers } from './resolvers/query.ts';
import { subscriptionResolvers } from './resolvers/subscription.ts';
import type { EventSource } from './stage-change.ts';

export const schemaSource = readFileSync(fromRoot('schema.graphql'), 'utf8');

/** Deep enough for a relationship screen (relationships → edges → node → goals → milestones → …). */
export const QUERY_DEPTH_LIMIT = 8;
/** About 100 relationships with their people, programme, goals, history and next stages. */
export const QUERY_COST_LIMIT = 20_000;

export interface GraphQLOptions {
  services: Services;
  eventFeed: EventSource;
  config: Pick<Config, 'env'>;
}

/** /graphql (POST, and GET for queries), the subscription WebSocket, and GraphiQL outside production. */
export async function graphqlApi(app: FastifyInstance, { services, eventFeed, config }: GraphQLOptions) {
  const validationRules = [depthLimitRule(QUERY_DEPTH_LIMIT), costLimitRule(QUERY_COST_LIMIT)];
  const resolvers: Resolvers = {
    Query: queryResolvers(services),
    Mutation: mutationResolvers(services),
    Subscription: subscriptionResolvers(services),
  };
  // openapi.yaml describes REST; GraphQL is described by schema.graphql.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  await app.register(mercurius, {
    schema: schemaSource,
    resolvers: resolvers as IResolvers,
    loaders: buildLoaders(services),
    path: '/graphql',
    graphiql: config.env !== 'production',
    jit: 1,
    validationRules,
    errorFormatter: formatExecutionErrors,
    context: (request): Partial<GraphQLContext> => ({ actor: request.actor }),
    additionalRouteOptions: { preHandler: authenticateHttp, onSend: negotiateResponseType },
    subscription: { onConnect: authenticateConnection(app) },
  });
  app.graphql.addHook('preValidation', requireGraphQLText);
  app.graphql.addHook('preExecution', attachRequestMemo);
  app.graphql.addHook('preSubscriptionExecution', validateSubscriptions(validationRules));
  bridgeStageChanges(app, eventFeed);
}
