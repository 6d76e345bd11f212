import type { Services } from '../../domain/services.ts';
import { pageQuery, toConnection } from '../connection.ts';
import type { QueryResolvers } from '../generated/resolvers.ts';
import { requireIds, withoutNulls } from '../inputs.ts';

/** Reads: each one service call; a foreign or invisible id is null with a NOT_FOUND error. */
export function queryResolvers(services: Services): QueryResolvers {
  return {
    viewer: (_root, _args, { actor }) => services.getViewer(actor, {}),
    programme: (_root, args, { actor }) => services.getProgramme(actor, requireIds({ id: args.id })),
    programmes: async (_root, args, { actor }) => toConnection(await services.listProgrammes(actor, pageQuery(args))),
    programmeReport: (_root, { id, ...query }, { actor }) => services.getProgrammeReport(actor, { ...requireIds({ id }), ...withoutNulls(query) }),
    person: (_root, args, { actor }) => services.getPerson(actor, requireIds({ id: args.id })),
    people: async (_root, { externalId, ...page }, { actor }) =>
      toConnection(await services.listPeople(actor, { ...pageQuery(page), ...withoutNulls({ externalId }) })),
    relationship: (_root, args, { actor }) => services.getRelationship(actor, requireIds({ id: args.id })),
    session: (_root, args, { actor }) => services.getSession(actor, requireIds({ relationshipId: args.relationshipId, sessionId: args.id })),
    relationships: async (_root, { filter, ...page }, { actor }) =>
      toConnection(await services.listRelationships(actor, { ...withoutNulls(filter ?? {}), ...pageQuery(page) })),
    stageModels: async (_root, _args, { actor }) => (await services.listStageModels(actor, {})).items,
    smartCheck: (_root, { input }, { actor }) => services.checkGoalDraft(actor, withoutNulls(input)),
    mentorSuggestions: (_root, { programmeId, menteeId, limit }, { actor }) =>
      services.suggestMentors(actor, { ...requireIds({ programmeId, personId: menteeId }), ...withoutNulls({ limit }) }),
    matchingRun: (_root, { programmeId, id }, { actor }) => services.getMatchingRun(actor, requireIds({ programmeId, runId: id })),
  };
}
