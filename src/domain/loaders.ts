import { and, asc, eq, or } from 'drizzle-orm';
import { compiled, compiledByShape, isAnyOf, param } from '../db/compiled.ts';
import { people, programmes, reflections, relationships, sessions, stageHistory } from '../db/schema.ts';
import { actorPersonId, seesWholeOrganisation, type RelationshipRow } from './access.ts';
import { presentReflection } from './activity/present-reflection.ts';
import { presentSession } from './activity/present-session.ts';
import type { Actor, Ctx } from './context.ts';
import { loadGoals } from './goals/load-goals.ts';
import { presentPerson } from './people/present-person.ts';
import { presentProgramme, type ProgrammeRow } from './programmes/present-programme.ts';
import { authorize } from './permissions.ts';
import { loadGuardSnapshots } from './relationships/guard-snapshot.ts';
import { presentRelationship } from './relationships/present-relationship.ts';
import { presentHistory } from './relationships/present-history.ts';
import type { Reflection, Session } from './schemas/activity.ts';
import type { Goal } from './schemas/goal.ts';
import type { Person } from './schemas/person.ts';
import type { Programme } from './schemas/programme.ts';
import type { HistoryEntry, Relationship } from './schemas/relationship.ts';
import { nextStages, type NextStage } from './stage-models/index.ts';
import { isUuid } from './uuid.ts';

// Read-only batch loads by id lists, for transports that draw many rows at once (GraphQL loaders):
// a constant number of statements whatever the count, with the same permission (the single read's
// operation in the matrix), tenancy and member rules as the single reads. Ids the caller may not
// see are simply absent from the result.

/**
 * What the batch loads of one read-only request share, so that a screen reads each thing once
 * however many of its fields need it: the relationships the caller may see, goals by relationship,
 * programme rows, and a member's own person id. Each entry is the promise of the batch that read
 * it, so loads running side by side share a read still in flight.
 *
 * One memo serves one request of one caller (`createLoadMemo(actor)`); a load given a memo made for
 * another actor ignores it. Only read-only requests may use one: after a change its entries are stale.
 * It holds raw rows, never a decision: every load still authorises its own operation first.
 */
export interface LoadMemo {
  readonly actor: Actor;
  /** Relationship id → the batch that read it; an id missing from the batch's map is not visible. */
  readonly relationships: Map<string, Promise<Map<string, RelationshipRow>>>;
  /** Relationship id → the batch of goals (with metrics, milestones and tasks) grouped by relationship. */
  readonly goals: Map<string, Promise<Map<string, Goal[]>>>;
  /** Programme id → the batch of programme rows of the caller's organisation. */
  readonly programmes: Map<string, Promise<Map<string, ProgrammeRow>>>;
  /** The person a member's token stands for (actorPersonId). */
  self?: Promise<string | null>;
}

export const createLoadMemo = (actor: Actor): LoadMemo => ({ actor, relationships: new Map(), goals: new Map(), programmes: new Map() });

type Ids = { ids: string[]; memo?: LoadMemo };

/** The input of the loads of a relationship's lists (goals, sessions, ..., next stages). */
type RelationshipIds = {
  relationshipIds: string[];
  /**
   * These relationships as this caller read them earlier in the same request (a GraphQL field's
   * parents). For organisation roles they stand in for re-reading the relationships: every child
   * query filters on the organisation already. Members are checked against the database regardless.
   */
  parents?: Relationship[];
  memo?: LoadMemo;
};

const validIds = (ids: string[]) => [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];

/** The memo, if it was made for this caller. */
const memoFor = (ctx: Ctx, memo: LoadMemo | undefined): LoadMemo | undefined => (memo && memo.actor === ctx.actor ? memo : undefined);

function byId<T extends { id: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Reads `keys` through a memo cache: keys asked for before reuse that batch (done or in flight),
 * the rest are read in one new batch. The map may hold more than `keys`: look up only your keys.
 */
async function through<V>(cache: Map<string, Promise<Map<string, V>>> | undefined, keys: string[], read: (keys: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
  if (keys.length === 0) return new Map();
  if (!cache) return read(keys);
  const missing = keys.filter((key) => !cache.has(key));
  if (missing.length > 0) {
    const batch = read(missing);
    for (const key of missing) cache.set(key, batch);
  }
  const batches = [...new Set(keys.map((key) => cache.get(key)!))];
  if (batches.length === 1) return batches[0]!;
  const merged = new Map<string, V>();
  for (const found of await Promise.all(batches)) for (const [key, value] of found) merged.set(key, value);
  return merged;
}

function selfOf(ctx: Ctx, memo: LoadMemo | undefined): Promise<string | null> {
  if (!memo) return actorPersonId(ctx);
  return (memo.self ??= actorPersonId(ctx));
}

/** The relationships among `ids` (valid, distinct) the caller may see: the organisation's, and for members only their own. */
async function readVisibleRelationships(ctx: Ctx, ids: string[], memo: LoadMemo | undefined): Promise<RelationshipRow[]> {
  if (seesWholeOrganisation(ctx.actor)) return relationshipsIn(ctx.db, 'organisation', { org: ctx.actor.org, ids });
  const self = await selfOf(ctx, memo);
  if (!self) return [];
  return relationshipsIn(ctx.db, 'own', { org: ctx.actor.org, ids, self });
}

// The batch statements, compiled once: id lists travel as one uuid[] value (isAnyOf).
const relationshipsIn = compiledByShape((db, shape) => {
  const self = param('self');
  return db
    .select()
    .from(relationships)
    .where(and(eq(relationships.orgId, param('org')), isAnyOf(relationships.id, 'ids'), shape === 'own' ? or(eq(relationships.mentorId, self), eq(relationships.menteeId, self)) : undefined))
    .orderBy(asc(relationships.id));
});
const programmesIn = compiled((db) => db.select().from(programmes).where(and(eq(programmes.orgId, param('org')), isAnyOf(programmes.id, 'ids'))));
const peopleIn = compiled((db) => db.select().from(people).where(and(eq(people.orgId, param('org')), isAnyOf(people.id, 'ids'))));
const pairsOf = compiled((db) => {
  const self = param('self');
  return db
    .select({ mentorId: relationships.mentorId, menteeId: relationships.menteeId })
    .from(relationships)
    .where(and(eq(relationships.orgId, param('org')), or(eq(relationships.mentorId, self), eq(relationships.menteeId, self))));
});
const sessionsIn = compiled((db) =>
  db.select().from(sessions).where(and(eq(sessions.orgId, param('org')), isAnyOf(sessions.relationshipId, 'ids'))).orderBy(asc(sessions.id)),
);
const reflectionsIn = compiled((db) =>
  db.select().from(reflections).where(and(eq(reflections.orgId, param('org')), isAnyOf(reflections.relationshipId, 'ids'))).orderBy(asc(reflections.id)),
);
const historyIn = compiled((db) =>
  db.select().from(stageHistory).where(and(eq(stageHistory.orgId, param('org')), isAnyOf(stageHistory.relationshipId, 'ids'))).orderBy(asc(stageHistory.id)),
);

/** The relationships among `ids` the caller may see, read once per request when there is a memo. */
async function visibleRelationshipRows(ctx: Ctx, ids: string[], memo: LoadMemo | undefined): Promise<RelationshipRow[]> {
  const wanted = validIds(ids);
  const found = await through(memo?.relationships, wanted, async (missing) => byId(await readVisibleRelationships(ctx, missing, memo)));
  return wanted.flatMap((id) => found.get(id) ?? []);
}

/** A relationship as presented, back in the shape of its row (the organisation is the caller's). */
const rowOf = (org: string, r: Relationship): RelationshipRow => ({
  ...r,
  orgId: org,
  mentorAcceptedAt: r.mentorAcceptedAt === null ? null : new Date(r.mentorAcceptedAt),
  menteeAcceptedAt: r.menteeAcceptedAt === null ? null : new Date(r.menteeAcceptedAt),
  stageEnteredAt: new Date(r.stageEnteredAt),
  lastActivityAt: new Date(r.lastActivityAt),
  endedAt: r.endedAt === null ? null : new Date(r.endedAt),
  createdAt: new Date(r.createdAt),
  updatedAt: new Date(r.updatedAt),
});

/** The parents among the wanted ids, when the caller sees the whole organisation and handed them down; otherwise null. */
function heldParents(ctx: Ctx, input: RelationshipIds): Relationship[] | null {
  if (!input.parents || !seesWholeOrganisation(ctx.actor)) return null;
  const wanted = new Set(validIds(input.relationshipIds));
  const held = new Map<string, Relationship>();
  for (const parent of input.parents) if (wanted.has(parent.id)) held.set(parent.id, parent);
  return [...held.values()];
}

/** The relationship rows of a list load: the parents handed down (organisation roles), or the visible rows read. */
async function relationshipRowsOf(ctx: Ctx, input: RelationshipIds): Promise<RelationshipRow[]> {
  const held = heldParents(ctx, input);
  if (held) return held.map((parent) => rowOf(ctx.actor.org, parent));
  return visibleRelationshipRows(ctx, input.relationshipIds, memoFor(ctx, input.memo));
}

/** The ids of a list load's relationships the caller may see. */
async function visibleIdsOf(ctx: Ctx, input: RelationshipIds): Promise<string[]> {
  const held = heldParents(ctx, input);
  if (held) return held.map((parent) => parent.id);
  return (await visibleRelationshipRows(ctx, input.relationshipIds, memoFor(ctx, input.memo))).map((row) => row.id);
}

async function programmeRows(ctx: Ctx, ids: string[], memo: LoadMemo | undefined): Promise<Map<string, ProgrammeRow>> {
  return through(memo?.programmes, validIds(ids), async (missing) =>
    byId(await programmesIn(ctx.db, { org: ctx.actor.org, ids: missing })),
  );
}

/** Goals of relationships the caller may see (`ids` are checked already), grouped by relationship. */
async function goalsByRelationship(ctx: Ctx, ids: string[], memo: LoadMemo | undefined): Promise<Map<string, Goal[]>> {
  return through(memo?.goals, ids, async (missing) => {
    const grouped = new Map<string, Goal[]>(missing.map((id) => [id, []]));
    for (const goal of await loadGoals(ctx, { relationshipIds: missing })) grouped.get(goal.relationshipId)?.push(goal);
    return grouped;
  });
}

const goalsOf = (found: Map<string, Goal[]>, ids: string[]) => ids.flatMap((id) => found.get(id) ?? []);

export async function loadRelationshipsByIds(ctx: Ctx, input: Ids): Promise<Relationship[]> {
  authorize(ctx.actor, 'getRelationship');
  return (await visibleRelationshipRows(ctx, input.ids, memoFor(ctx, input.memo))).map(presentRelationship);
}

export async function loadProgrammesByIds(ctx: Ctx, input: Ids): Promise<Programme[]> {
  authorize(ctx.actor, 'getProgramme');
  const wanted = validIds(input.ids);
  const found = await programmeRows(ctx, wanted, memoFor(ctx, input.memo));
  return wanted.flatMap((id) => {
    const row = found.get(id);
    return row ? [presentProgramme(row)] : [];
  });
}

/** Organisation roles read anyone; a member reads themselves and the people they are paired with. */
export async function loadPeopleByIds(ctx: Ctx, input: Ids): Promise<Person[]> {
  authorize(ctx.actor, 'getPerson');
  let wanted = validIds(input.ids);
  if (!seesWholeOrganisation(ctx.actor)) {
    const self = await selfOf(ctx, memoFor(ctx, input.memo));
    if (!self) return [];
    const pairs = await pairsOf(ctx.db, { org: ctx.actor.org, self });
    const allowed = new Set([self, ...pairs.flatMap((pair) => [pair.mentorId, pair.menteeId])]);
    wanted = wanted.filter((id) => allowed.has(id));
  }
  if (wanted.length === 0) return [];
  const rows = await peopleIn(ctx.db, { org: ctx.actor.org, ids: wanted });
  return rows.map(presentPerson);
}

export async function loadGoalsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Goal[]> {
  authorize(ctx.actor, 'listGoals');
  const ids = await visibleIdsOf(ctx, input);
  return goalsOf(await goalsByRelationship(ctx, ids, memoFor(ctx, input.memo)), ids);
}

export async function loadSessionsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Session[]> {
  authorize(ctx.actor, 'listSessions');
  const ids = await visibleIdsOf(ctx, input);
  if (ids.length === 0) return [];
  const rows = await sessionsIn(ctx.db, { org: ctx.actor.org, ids });
  return rows.map(presentSession);
}

export async function loadReflectionsByRelationships(ctx: Ctx, input: RelationshipIds): Promise<Reflection[]> {
  authorize(ctx.actor, 'listReflections');
  const ids = await visibleIdsOf(ctx, input);
  if (ids.length === 0) return [];
  const rows = await reflectionsIn(ctx.db, { org: ctx.actor.org, ids });
  return rows.map(presentReflection);
}

export async function loadHistoryByRelationships(ctx: Ctx, input: RelationshipIds): Promise<(HistoryEntry & { relationshipId: string })[]> {
  authorize(ctx.actor, 'listTransitions');
  const ids = await visibleIdsOf(ctx, input);
  if (ids.length === 0) return [];
  const rows = await historyIn(ctx.db, { org: ctx.actor.org, ids });
  return rows.map((row) => ({ ...presentHistory(row), relationshipId: row.relationshipId }));
}

/**
 * The "what is still missing" view of many relationships at once: the same guard facts as
 * loadGuardSnapshot (relationships/guard-snapshot.ts), gathered for all of them in a few statements.
 * The programmes and goals come through the request's memo, shared with the programme and goals fields.
 */
export async function loadNextStagesByRelationships(ctx: Ctx, input: RelationshipIds): Promise<{ relationshipId: string; moves: NextStage[] }[]> {
  authorize(ctx.actor, 'getNextStages');
  const memo = memoFor(ctx, input.memo);
  const rows = await relationshipRowsOf(ctx, input);
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  // Started now, awaited inside loadGuardSnapshots, so the goals load alongside the programmes.
  const goals = goalsByRelationship(ctx, ids, memo).then((found) => goalsOf(found, ids));
  goals.catch(() => undefined); // observed below; this only keeps an early failure from going unhandled
  const programmeById = await programmeRows(
    ctx,
    rows.map((row) => row.programmeId),
    memo,
  );
  const programmeList = [...new Set(rows.map((row) => row.programmeId))].flatMap((id) => programmeById.get(id) ?? []);
  const snapshots = await loadGuardSnapshots(ctx, rows, programmeList, goals);
  return rows.flatMap((row) => {
    const programme = programmeById.get(row.programmeId);
    const snapshot = snapshots.get(row.id);
    if (!programme || !snapshot) return [];
    return [{ relationshipId: row.id, moves: nextStages(programme.stageModel, row, snapshot) }];
  });
}
