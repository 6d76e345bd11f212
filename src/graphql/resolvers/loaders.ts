import type { Loader, MercuriusLoaders } from 'mercurius';
import type { Actor } from '../../domain/context.ts';
import type { Reflection, Session } from '../../domain/schemas/activity.ts';
import type { Goal } from '../../domain/schemas/goal.ts';
import type { Relationship } from '../../domain/schemas/relationship.ts';
import type { Services } from '../../domain/services.ts';
import type { GraphQLContext } from '../context.ts';
import type { StageChangePayload } from '../stage-change.ts';

// mercurius batches every call of one loader made while a level of the query resolves, so a list of
// 100 relationships costs one batch service call per field, not 100: the statement count of a screen
// stays constant whatever its length.

type BatchLoad<T> = (actor: Actor, ids: string[]) => Promise<T[]>;

/** Resolves each parent's single related object through one batch load of ids. */
function one<Parent extends Record<string, unknown>, T extends { id: string }>(load: BatchLoad<T>, key: (parent: Parent) => string | null): Loader<Parent, object, GraphQLContext> {
  return async (queries, { actor }) => {
    const wanted = queries.map((query) => key(query.obj)).filter((id): id is string => id !== null);
    const found = new Map((wanted.length ? await load(actor, wanted) : []).map((item) => [item.id, item]));
    return queries.map((query) => found.get(key(query.obj) ?? '') ?? null);
  };
}

/** Resolves each relationship's list (goals, sessions, ...) through one batch load, grouped back. */
function many<T>(load: BatchLoad<T>, owner: (item: T) => string): Loader<Relationship, object, GraphQLContext> {
  return async (queries, { actor }) => {
    const items = await load(actor, queries.map((query) => query.obj.id));
    return queries.map((query) => items.filter((item) => owner(item) === query.obj.id));
  };
}

export function buildLoaders(services: Services): MercuriusLoaders<GraphQLContext> {
  const people: BatchLoad<{ id: string }> = (actor, ids) => services.loadPeopleByIds(actor, { ids });
  const relationships: BatchLoad<Relationship> = (actor, ids) => services.loadRelationshipsByIds(actor, { ids });
  const ownerId = (item: { relationshipId: string }) => item.relationshipId;
  const relationshipOf = one<{ relationshipId: string }, Relationship>(relationships, (parent) => parent.relationshipId);
  return {
    Relationship: {
      programme: one<Relationship, { id: string }>((actor, ids) => services.loadProgrammesByIds(actor, { ids }), (r) => r.programmeId),
      mentor: one<Relationship, { id: string }>(people, (r) => r.mentorId),
      mentee: one<Relationship, { id: string }>(people, (r) => r.menteeId),
      referralMentor: one<Relationship, { id: string }>(people, (r) => r.referralMentorId),
      goals: many<Goal>((actor, ids) => services.loadGoalsByRelationships(actor, { relationshipIds: ids }), ownerId),
      sessions: many<Session>((actor, ids) => services.loadSessionsByRelationships(actor, { relationshipIds: ids }), ownerId),
      reflections: many<Reflection>((actor, ids) => services.loadReflectionsByRelationships(actor, { relationshipIds: ids }), ownerId),
      history: many((actor, ids) => services.loadHistoryByRelationships(actor, { relationshipIds: ids }), ownerId),
      nextStages: async (queries, { actor }) => {
        const all = await services.loadNextStagesByRelationships(actor, { relationshipIds: queries.map((query) => query.obj.id) });
        return queries.map((query) => all.find((entry) => entry.relationshipId === query.obj.id)?.moves ?? []);
      },
    },
    Goal: { relationship: relationshipOf },
    Session: { relationship: relationshipOf },
    Reflection: { relationship: relationshipOf },
    StageChange: { relationship: one<StageChangePayload, Relationship>(relationships, (change) => change.relationshipId) },
  };
}
