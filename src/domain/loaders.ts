import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { people, programmes, reflections, relationships, sessions, stageHistory } from '../db/schema.ts';
import { actorPersonId, seesWholeOrganisation, type RelationshipRow } from './access.ts';
import { presentReflection, presentSession } from './activity/sessions-and-reflections.ts';
import type { Ctx } from './context.ts';
import { loadGoals } from './goals/load-goals.ts';
import { presentPerson } from './people/present-person.ts';
import { presentProgramme } from './programmes/present-programme.ts';
import { authorize } from './permissions.ts';
import { loadGuardSnapshots } from './relationships/guard-snapshot.ts';
import { presentRelationship } from './relationships/present-relationship.ts';
import { presentHistory } from './relationships/read-relationships.ts';
import type { Reflection, Session } from './schemas/activity.ts';
import type { Goal } from './schemas/goal.ts';
import type { Person } from './schemas/person.ts';
import type { Programme } from './schemas/programme.ts';
import type { HistoryEntry, Relationship } from './schemas/relationship.ts';
import { nextStages, type NextStage } from './stage-models/index.ts';

// Read-only batch loads by id lists, for transports that draw many rows at once (GraphQL loaders):
// a constant number of statements whatever the count, with the same permission (the single read's
// operation in the matrix), tenancy and member rules as the single reads. Ids the caller may not
// see are simply absent from the result.

type Ids = { ids: string[] };
type RelationshipIds = { relationshipIds: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const validIds = (ids: string[]) => [...new Set(ids.filter((id) => UUID.test(id)))];

/** The relationships among `ids` the caller may see: the organisation's, and for members only their own. */
async function visibleRelationshipRows(ctx: Ctx, ids: string[]): Promise<RelationshipRow[]> {
  const wanted = validIds(ids);
  if (wanted.length === 0) return [];
  let own;
  if (!seesWholeOrganisation(ctx.actor)) {
    const self = await actorPersonId(ctx);
    if (!self) return [];
    own = or(eq(relationships.mentorId, self), eq(relationships.menteeId, self));
  }
  return ctx.db
    .select()
    .from(relationships)
    .where(and(eq(relationships.orgId, ctx.actor.org), inArray(relationships.id, wanted), own))
    .orderBy(asc(relationships.id));
}

export async function loadRelationshipsByIds(ctx: Ctx, input: Ids): Promise<Relationship[]> {
  authorize(ctx.actor, 'getRelationship');
  return (await visibleRelationshipRows(ctx, input.ids)).map(presentRelationship);
}

export async function loadProgrammesByIds(ctx: Ctx, input: Ids): Promise<Programme[]> {
  authorize(ctx.actor, 'getProgramme');
  const wanted = validIds(input.ids);
  if (wanted.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, ctx.actor.org), inArray(programmes.id, wanted)));
  return rows.map(presentProgramme);
}

/** Organisation roles read anyone; a member reads themselves and the people they are paired with. */
export async function loadPeopleByIds(ctx: Ctx, input: Ids): Promise<Person[]> {
  authorize(ctx.actor, 'getPerson');
  let wanted = validIds(input.ids);
  if (!seesWholeOrganisation(ctx.actor)) {
    const self = await actorPersonId(ctx);
    if (!self) return [];
    const pairs = await ctx.db
      .select({ mentorId: relationships.mentorId, menteeId: relationships.menteeId })
      .from(relationships)
      .where(and(eq(relationships.orgId, ctx.actor.org), or(eq(relationships.mentorId, self), eq(relationships.menteeId, self))));
    const allowed = new Set([self, ...pairs.flatMap((pair) => [pair.mentorId, pair.menteeId])]);
    wanted = wanted.filter((id) => allowed.has(id));
  }
  if (wanted.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(people)
    .where(and(eq(people.orgId, ctx.actor.org), inArray(people.id, wanted)));
  return rows.map(presentPerson);
}

export async function loadGoalsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Goal[]> {
  authorize(ctx.actor, 'listGoals');
  const visible = await visibleRelationshipRows(ctx, input.relationshipIds);
  return loadGoals(ctx, { relationshipIds: visible.map((row) => row.id) });
}

export async function loadSessionsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Session[]> {
  authorize(ctx.actor, 'listSessions');
  const ids = (await visibleRelationshipRows(ctx, input.relationshipIds)).map((row) => row.id);
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.orgId, ctx.actor.org), inArray(sessions.relationshipId, ids)))
    .orderBy(asc(sessions.id));
  return rows.map(presentSession);
}

export async function loadReflectionsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Reflection[]> {
  authorize(ctx.actor, 'listReflections');
  const ids = (await visibleRelationshipRows(ctx, input.relationshipIds)).map((row) => row.id);
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(reflections)
    .where(and(eq(reflections.orgId, ctx.actor.org), inArray(reflections.relationshipId, ids)))
    .orderBy(asc(reflections.id));
  return rows.map(presentReflection);
}

export async function loadHistoryByRelationships(ctx: Ctx, input: RelationshipIds): Promise<(HistoryEntry & { relationshipId: string })[]> {
  authorize(ctx.actor, 'listTransitions');
  const ids = (await visibleRelationshipRows(ctx, input.relationshipIds)).map((row) => row.id);
  if (ids.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(stageHistory)
    .where(and(eq(stageHistory.orgId, ctx.actor.org), inArray(stageHistory.relationshipId, ids)))
    .orderBy(asc(stageHistory.id));
  return rows.map((row) => ({ ...presentHistory(row), relationshipId: row.relationshipId }));
}

/**
 * The "what is still missing" view of many relationships at once: the same guard facts as
 * loadGuardSnapshot (relationships/guard-snapshot.ts), gathered for all of them in a few statements.
 */
export async function loadNextStagesByRelationships(ctx: Ctx, input: RelationshipIds): Promise<{ relationshipId: string; moves: NextStage[] }[]> {
  authorize(ctx.actor, 'getNextStages');
  const rows = await visibleRelationshipRows(ctx, input.relationshipIds);
  if (rows.length === 0) return [];
  const programmeRows = await ctx.db
    .select()
    .from(programmes)
    .where(and(eq(programmes.orgId, ctx.actor.org), inArray(programmes.id, [...new Set(rows.map((row) => row.programmeId))])));
  const snapshots = await loadGuardSnapshots(ctx, rows, programmeRows);
  return rows.flatMap((row) => {
    const programme = programmeRows.find((p) => p.id === row.programmeId);
    const snapshot = snapshots.get(row.id);
    if (!programme || !snapshot) return [];
    return [{ relationshipId: row.id, moves: nextStages(programme.stageModel, row, snapshot) }];
  });
}
