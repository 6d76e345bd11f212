import type { Loader, MercuriusLoaders } from 'mercurius';
import type { Reflection, Session } from '../../domain/schemas/activity.ts';
import type { Goal } from '../../domain/schemas/goal.ts';
import type { Person } from '../../domain/schemas/person.ts';
import type { Relationship } from '../../domain/schemas/relationship.ts';
import type { Services } from '../../domain/services.ts';
import type { GraphQLContext } from '../context.ts';
import type { StageChangePayload } from '../stage-change.ts';

// mercurius batches every call of one loader made while a level of the query resolves, so a list of
// 100 relationships costs one batch service call per field, not 100: the statement count of a screen
// stays constant whatever its length. Within a read-only request the domain loads also share what
// they read through the request's memo (ctx.memo, see request-memo.ts), and the relationship-list
// fields hand their parents down, so organisation roles are not re-read (domain/loaders.ts).

type BatchLoad<T> = (ctx: GraphQLContext, ids: string[]) => Promise<T[]>;

/** Resolves each parent's single related object through one batch load of ids. */
function one<Parent extends Record<string, unknown>, T extends { id: string }>(load: BatchLoad<T>, key: (parent: Parent) => string | null): Loader<Parent, object, GraphQLContext> {
  return async (queries, ctx) => {
    const wanted = queries.map((query) => key(query.obj)).filter((id): id is string => id !== null);
    const found = new Map((wanted.length ? await load(ctx, wanted) : []).map((item) => [item.id, item]));
    return queries.map((query) => found.get(key(query.obj) ?? '') ?? null);
  };
}

type ListLoad<T> = (ctx: GraphQLContext, input: { relationshipIds: string[]; parents: Relationship[]; memo?: GraphQLContext['memo'] }) => Promise<T[]>;

/** Resolves each relationship's list (goals, sessions, ...) through one batch load, grouped back. */
function many<T>(load: ListLoad<T>, owner: (item: T) => string): Loader<Relationship, object, GraphQLContext> {
  return async (queries, ctx) => {
    const parents = queries.map((query) => query.obj);
    const items = await load(ctx, { relationshipIds: parents.map((parent) => parent.id), parents, memo: ctx.memo });
    const grouped = new Map<string, T[]>();
    for (const item of items) {
      const list = grouped.get(owner(item));
      if (list) list.push(item);
      else grouped.set(owner(item), [item]);
    }
    return queries.map((query) => grouped.get(query.obj.id) ?? []);
  };
}

/**
 * One people load for every person field of a level (mentor, mentee, referralMentor): the ids the
 * three loaders ask for in the same tick are joined into one batch. mercurius starts each loader's
 * batch in its own process.nextTick; this joins them by loading in the tick after. Nothing is cached
 * across batches, so a context that outlives one execution (a subscription's) never reads stale people.
 */
function peopleBatches(services: Services) {
  const pending = new WeakMap<GraphQLContext, { ids: Set<string>; result: Promise<Map<string, Person>> }>();
  return (ctx: GraphQLContext, ids: string[]): Promise<Map<string, Person>> => {
    let batch = pending.get(ctx);
    if (!batch) {
      const wanted = new Set<string>();
      const result = new Promise<Map<string, Person>>((resolve, reject) => {
        process.nextTick(() => {
          pending.delete(ctx);
          services
            .loadPeopleByIds(ctx.actor, { ids: [...wanted], memo: ctx.memo })
            .then((people) => resolve(new Map(people.map((person) => [person.id, person]))), reject);
        });
      });
      batch = { ids: wanted, result };
      pending.set(ctx, batch);
    }
    for (const id of ids) batch.ids.add(id);
    return batch.result;
  };
}

export function buildLoaders(services: Services): MercuriusLoaders<GraphQLContext> {
  const peopleBatch = peopleBatches(services);
  const people: BatchLoad<Person> = async (ctx, ids) => {
    const found = await peopleBatch(ctx, ids);
    return ids.flatMap((id) => found.get(id) ?? []);
  };
  const relationships: BatchLoad<Relationship> = (ctx, ids) => services.loadRelationshipsByIds(ctx.actor, { ids, memo: ctx.memo });
  const ownerId = (item: { relationshipId: string }) => item.relationshipId;
  const relationshipOf = one<{ relationshipId: string }, Relationship>(relationships, (parent) => parent.relationshipId);
  return {
    Relationship: {
      programme: one<Relationship, { id: string }>((ctx, ids) => services.loadProgrammesByIds(ctx.actor, { ids, memo: ctx.memo }), (r) => r.programmeId),
      mentor: one<Relationship, Person>(people, (r) => r.mentorId),
      mentee: one<Relationship, Person>(people, (r) => r.menteeId),
      referralMentor: one<Relationship, Person>(people, (r) => r.referralMentorId),
      goals: many<Goal>((ctx, input) => services.loadGoalsByRelationships(ctx.actor, input), ownerId),
      sessions: many<Session>((ctx, input) => services.loadSessionsByRelationships(ctx.actor, input), ownerId),
      reflections: many<Reflection>((ctx, input) => services.loadReflectionsByRelationships(ctx.actor, input), ownerId),
      history: many((ctx, input) => services.loadHistoryByRelationships(ctx.actor, input), ownerId),
      nextStages: async (queries, ctx) => {
        const parents = queries.map((query) => query.obj);
        const input = { relationshipIds: parents.map((parent) => parent.id), parents, memo: ctx.memo };
        const moves = new Map((await services.loadNextStagesByRelationships(ctx.actor, input)).map((entry) => [entry.relationshipId, entry.moves]));
        return queries.map((query) => moves.get(query.obj.id) ?? []);
      },
    },
    Goal: { relationship: relationshipOf },
    Session: { relationship: relationshipOf },
    Reflection: { relationship: relationshipOf },
    StageChange: { relationship: one<StageChangePayload, Relationship>(relationships, (change) => change.relationshipId) },
  };
}
