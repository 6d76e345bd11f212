import mercurius from 'mercurius';
import { seesWholeOrganisation } from '../../domain/access.ts';
import type { Services } from '../../domain/services.ts';
import type { GraphQLContext } from '../context.ts';
import { toClientGraphQLError } from '../errors.ts';
import type { SubscriptionResolvers } from '../generated/resolvers.ts';
import { requireIds } from '../inputs.ts';
import { stageChangeTopic, type StageChangePayload } from '../stage-change.ts';

type Args = { programmeId: string };

/**
 * relationshipStageChanged: the programme must be one the caller can read (a foreign id is
 * NOT_FOUND), the topic is scoped to the caller's organisation, and members hear only of the
 * relationships they are a party to.
 */
export function subscriptionResolvers(services: Services): SubscriptionResolvers {
  const subscribe = async (_root: unknown, args: Args, ctx: GraphQLContext) => {
    try {
      const { programmeId } = requireIds({ programmeId: args.programmeId });
      await services.getProgramme(ctx.actor, { id: programmeId });
      // Checks the caller may read relationships at all (getRelationship in the matrix); no ids, no query.
      await services.loadRelationshipsByIds(ctx.actor, { ids: [] });
      return await ctx.pubsub.subscribe<StageChangePayload>(stageChangeTopic(ctx.actor.org, programmeId));
    } catch (error) {
      throw toClientGraphQLError(error, ctx.app.log);
    }
  };
  const mayHear = async (change: StageChangePayload, _args: Args, ctx: GraphQLContext) => {
    if (change.orgId !== ctx.actor.org) return false;
    if (seesWholeOrganisation(ctx.actor)) return true;
    return (await services.loadRelationshipsByIds(ctx.actor, { ids: [change.relationshipId] })).length > 0;
  };
  return {
    relationshipStageChanged: {
      subscribe: mercurius.withFilter(subscribe, mayHear),
      resolve: (change: StageChangePayload) => change,
    },
  };
}
