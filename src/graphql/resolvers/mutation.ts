import type { CreateProgrammeInput } from '../../domain/schemas/programme.ts';
import type { Services } from '../../domain/services.ts';
import type { MutationResolvers } from '../generated/resolvers.ts';
import { asDomainInput, requireIds, withoutNulls } from '../inputs.ts';

/**
 * Every change the domain allows, each one call to the same service REST uses; the result is the
 * changed object. Refusals surface as errors with the domain's code (see errors.ts).
 */
export function mutationResolvers(services: Services): MutationResolvers {
  const version = (expectedVersion: number | null | undefined) => (expectedVersion == null ? {} : { expectedVersion });
  return {
    createProgramme: (_root, { input }, { actor }) => services.createProgramme(actor, asDomainInput<CreateProgrammeInput>(withoutNulls(input))),
    updateProgramme: (_root, { id, input }, { actor }) => services.updateProgramme(actor, { ...requireIds({ id }), changes: asDomainInput(input) }),
    createPerson: (_root, { input }, { actor }) => services.createPerson(actor, withoutNulls(input)),
    upsertPerson: (_root, { externalId, input }, { actor }) => services.upsertPerson(actor, { externalId, person: withoutNulls(input) }),
    batchUpsertPeople: (_root, { people }, { actor }) => services.batchUpsertPeople(actor, { people: withoutNulls(people) }),
    updatePerson: (_root, { id, input }, { actor }) => services.updatePerson(actor, { ...requireIds({ id }), changes: asDomainInput(input) }),
    openRelationship: (_root, { input }, { actor }) => services.openRelationship(actor, withoutNulls(input)),
    createMatchingRun: (_root, { programmeId, input }, { actor }) => services.createMatchingRun(actor, { ...requireIds({ programmeId }), ...withoutNulls(input ?? {}) }),
    acceptMatchingPairs: (_root, { programmeId, runId, pairIds }, { actor }) =>
      services.acceptMatchingPairs(actor, { ...requireIds({ programmeId, runId }), ...withoutNulls({ pairIds }) }),
    acceptFit: (_root, { relationshipId, input, expectedVersion }, { actor }) =>
      services.acceptFit(actor, { ...requireIds({ relationshipId }), ...version(expectedVersion), acceptance: withoutNulls(input ?? {}) }),
    setAgreement: (_root, { relationshipId, agreement, expectedVersion }, { actor }) =>
      services.setAgreement(actor, { ...requireIds({ relationshipId }), ...version(expectedVersion), agreement: withoutNulls(agreement) }),
    setRapport: (_root, { relationshipId, input, expectedVersion }, { actor }) =>
      services.setRapport(actor, { ...requireIds({ relationshipId }), ...version(expectedVersion), rapport: input }),
    transitionRelationship: (_root, { relationshipId, input, expectedVersion }, { actor }) =>
      services.transitionRelationship(actor, { ...requireIds({ relationshipId }), ...version(expectedVersion), move: withoutNulls(input) }),
    createGoal: (_root, { relationshipId, input }, { actor }) => services.createGoal(actor, { ...requireIds({ relationshipId }), goal: withoutNulls(input) }),
    updateGoal: (_root, { relationshipId, goalId, input }, { actor }) =>
      services.updateGoal(actor, { ...requireIds({ relationshipId, goalId }), changes: asDomainInput(input) }),
    agreeGoal: (_root, { relationshipId, goalId, parties }, { actor }) =>
      services.agreeGoal(actor, { ...requireIds({ relationshipId, goalId }), agreement: withoutNulls({ parties }) }),
    achieveGoal: (_root, { relationshipId, goalId, achievedDespite, parties }, { actor }) =>
      services.achieveGoal(actor, { ...requireIds({ relationshipId, goalId }), achievement: withoutNulls({ achievedDespite, parties }) }),
    dropGoal: (_root, { relationshipId, goalId, reason }, { actor }) => services.dropGoal(actor, { ...requireIds({ relationshipId, goalId }), drop: { reason } }),
    completeMilestone: (_root, { relationshipId, goalId, milestoneId }, { actor }) =>
      services.completeMilestone(actor, requireIds({ relationshipId, goalId, milestoneId })),
    completeTask: (_root, { relationshipId, goalId, taskId, input }, { actor }) =>
      services.completeTask(actor, { ...requireIds({ relationshipId, goalId, taskId }), completion: withoutNulls(input ?? {}) }),
    reopenTask: (_root, { relationshipId, goalId, taskId, input }, { actor }) =>
      services.reopenTask(actor, { ...requireIds({ relationshipId, goalId, taskId }), reopening: withoutNulls(input ?? {}) }),
    recordMetricReading: (_root, { relationshipId, goalId, metricId, input }, { actor }) =>
      services.recordMetricReading(actor, { ...requireIds({ relationshipId, goalId, metricId }), reading: withoutNulls(input) }),
    logSession: (_root, { relationshipId, input }, { actor }) => services.logSession(actor, { ...requireIds({ relationshipId }), session: withoutNulls(input) }),
    planSession: (_root, { relationshipId, input }, { actor }) => services.planSession(actor, { ...requireIds({ relationshipId }), session: withoutNulls(input) }),
    holdSession: (_root, { relationshipId, sessionId, input }, { actor }) =>
      services.holdSession(actor, { ...requireIds({ relationshipId, sessionId }), held: withoutNulls(input ?? {}) }),
    cancelSession: (_root, { relationshipId, sessionId, reason }, { actor }) =>
      services.cancelSession(actor, { ...requireIds({ relationshipId, sessionId }), cancellation: withoutNulls({ reason }) }),
    createCalendarFeed: (_root, { personId }, { actor }) => services.createCalendarFeed(actor, requireIds({ personId })),
    revokeCalendarFeed: async (_root, { personId }, { actor }) => (await services.revokeCalendarFeed(actor, requireIds({ personId }))).revoked,
    markSessionMissed: (_root, { relationshipId, sessionId, reason }, { actor }) =>
      services.markSessionMissed(actor, { ...requireIds({ relationshipId, sessionId }), miss: withoutNulls({ reason }) }),
    recordReflection: (_root, { relationshipId, input }, { actor }) =>
      services.recordReflection(actor, { ...requireIds({ relationshipId }), reflection: withoutNulls(input) }),
    recordClosingReflection: (_root, { relationshipId, input }, { actor }) =>
      services.recordReflection(actor, { ...requireIds({ relationshipId }), reflection: { kind: 'closing', ...withoutNulls(input) } }),
  };
}
