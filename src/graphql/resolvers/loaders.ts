import type { Loader, MercuriusLoaders } from 'mercurius';
import { DomainError } from '../../domain/errors.ts';
import type { Reflection, Session } from '../../domain/schemas/activity.ts';
import type { Goal } from '../../domain/schemas/goal.ts';
import type { MetricReading } from '../../domain/schemas/progress.ts';
import type { Person } from '../../domain/schemas/person.ts';
import type { Programme } from '../../domain/schemas/programme.ts';
import type { Relationship } from '../../domain/schemas/relationship.ts';
import type { Services } from '../../domain/services.ts';
import type { GraphQLContext } from '../context.ts';
import { readThrough } from '../request-memo.ts';
import type { StageChangePayload } from '../stage-change.ts';

// mercurius batches every call of one loader made while a level of the query resolves, so a list of
// 100 relationships costs one batch service call per field, not 100: the statement count of a screen
// stays constant whatever its length. Within a read-only request the programmes and goals a batch
// reads are kept in the request's memo (ctx.memo, see request-memo.ts) for the other fields that
// need them, and nextStages is given the relationships its field hangs on (the parents) as they were
// read, so nothing is read twice.

type BatchLoad<T> = (ctx: GraphQLContext, ids: string[]) => Promise<T[]>;

/** Resolves each parent's single related object through one batch load of ids. */
function one<Parent extends Record<string, unknown>, T extends { id: string }>(load: BatchLoad<T>, key: (parent: Parent) => string | null): Loader<Parent, object, GraphQLContext> {
  return async (queries, ctx) => {
    const wanted = queries.map((query) => key(query.obj)).filter((id): id is string => id !== null);
    const found = new Map((wanted.length ? await load(ctx, wanted) : []).map((item) => [item.id, item]));
    return queries.map((query) => found.get(key(query.obj) ?? '') ?? null);
  };
}

/** Resolves each relationship's list (goals, sessions, ...) through one batch load of relationship ids, grouped back. */
function many<T extends { relationshipId: string }>(load: BatchLoad<T>): Loader<Relationship, object, GraphQLContext> {
  return async (queries, ctx) => {
    const grouped = groupByRelationship(await load(ctx, queries.map((query) => query.obj.id)));
    return queries.map((query) => grouped.get(query.obj.id) ?? []);
  };
}

function groupByRelationship<T extends { relationshipId: string }>(items: T[], ids: string[] = []): Map<string, T[]> {
  const grouped = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const item of items) {
    const list = grouped.get(item.relationshipId);
    if (list) list.push(item);
    else grouped.set(item.relationshipId, [item]);
  }
  return grouped;
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
          services.loadPeopleByIds(ctx.actor, { ids: [...wanted] }).then((people) => resolve(new Map(people.map((person) => [person.id, person]))), reject);
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
  // Programmes and goals go through the request's memo: nextStages needs them too.
  const programmesById = (ctx: GraphQLContext, ids: string[]) =>
    readThrough(ctx.memo?.programmes, ids, async (missing) => new Map((await services.loadProgrammesByIds(ctx.actor, { ids: missing })).map((p) => [p.id, p])));
  const goalsByRelationship = (ctx: GraphQLContext, ids: string[]) =>
    readThrough(ctx.memo?.goals, ids, async (missing) => groupByRelationship(await services.loadGoalsByRelationships(ctx.actor, { relationshipIds: missing }), missing));
  const programmes: BatchLoad<Programme> = async (ctx, ids) => [...(await programmesById(ctx, ids)).values()];
  const goals: BatchLoad<Goal> = async (ctx, ids) => {
    const found = await goalsByRelationship(ctx, ids);
    return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
  };
  const relationships: BatchLoad<Relationship> = (ctx, ids) => services.loadRelationshipsByIds(ctx.actor, { ids });
  const relationshipOf = one<{ relationshipId: string }, Relationship>(relationships, (parent) => parent.relationshipId);
  return {
    Relationship: {
      programme: one<Relationship, Programme>(programmes, (r) => r.programmeId),
      mentor: one<Relationship, Person>(people, (r) => r.mentorId),
      mentee: one<Relationship, Person>(people, (r) => r.menteeId),
      referralMentor: one<Relationship, Person>(people, (r) => r.referralMentorId),
      goals: many<Goal>(goals),
      sessions: many<Session>((ctx, ids) => services.loadSessionsByRelationships(ctx.actor, { relationshipIds: ids })),
      rhythm: async (queries, ctx) => {
        const found = new Map((await services.loadRhythmsByRelationships(ctx.actor, { relationshipIds: queries.map((query) => query.obj.id) })).map((r) => [r.relationshipId, r]));
        return queries.map((query) => found.get(query.obj.id) ?? null);
      },
      reflections: many<Reflection>((ctx, ids) => services.loadReflectionsByRelationships(ctx.actor, { relationshipIds: ids })),
      history: many((ctx, ids) => services.loadHistoryByRelationships(ctx.actor, { relationshipIds: ids })),
      nextStages: async (queries, ctx) => {
        const parents = queries.map((query) => query.obj);
        // Within a read-only request, what the programme and goals fields read (or are reading) serves here too.
        let shared = {};
        if (ctx.memo) {
          const sharedGoals = goals(ctx, parents.map((parent) => parent.id));
          sharedGoals.catch(() => undefined); // awaited by the domain; this only keeps an early failure from going unhandled
          // A caller may see next stages without programmes:read; then the domain reads the programmes for the guards itself.
          const sharedProgrammes = await programmes(ctx, parents.map((parent) => parent.programmeId)).catch((error: unknown) => {
            if (error instanceof DomainError && error.code === 'FORBIDDEN') return undefined;
            throw error;
          });
          shared = { goals: sharedGoals, ...(sharedProgrammes ? { programmes: sharedProgrammes } : {}) };
        }
        const found = await services.loadNextStagesByRelationships(ctx.actor, { relationships: parents, ...shared });
        const moves = new Map(found.map((entry) => [entry.relationshipId, entry.moves]));
        return queries.map((query) => moves.get(query.obj.id) ?? []);
      },
    },
    Goal: { relationship: relationshipOf },
    MatchingPair: {
      mentee: one<{ menteeId: string }, Person>(people, (pair) => pair.menteeId),
      mentor: one<{ mentorId: string }, Person>(people, (pair) => pair.mentorId),
      relationship: one<{ relationshipId: string | null }, Relationship>(relationships, (pair) => pair.relationshipId),
    },
    UnmatchedMentee: { mentee: one<{ menteeId: string }, Person>(people, (unmatched) => unmatched.menteeId) },
    // Each metric's latest readings: one batch per distinct `last` of a level (usually one).
    Metric: {
      readings: async (queries: { obj: { id: string }; params: { last?: number | null } }[], ctx: GraphQLContext) => {
        const lastOf = (query: (typeof queries)[number]) => query.params.last ?? 5;
        const byLast = new Map<number, MetricReading[]>();
        for (const last of new Set(queries.map(lastOf))) {
          byLast.set(last, await services.loadReadingsByMetrics(ctx.actor, { metricIds: queries.filter((q) => lastOf(q) === last).map((q) => q.obj.id), last }));
        }
        return queries.map((query) => byLast.get(lastOf(query))!.filter((reading) => reading.metricId === query.obj.id));
      },
    },
    Session: { relationship: relationshipOf },
    Reflection: { relationship: relationshipOf },
    StageChange: { relationship: one<StageChangePayload, Relationship>(relationships, (change) => change.relationshipId) },
  };
}
