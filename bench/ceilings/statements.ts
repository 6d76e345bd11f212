import { and, asc, count, eq, fillPlaceholders, getTableColumns, gt, inArray, sql, type Column, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../../src/db/schema.ts';
import { peopleFromJson } from '../../src/domain/people/write-people.ts';

// The database ceiling sends the app's own statements: their text is built here once, with the
// same drizzle expressions the domain code uses (read from src/domain), then every execution goes
// straight through postgres.js with new values. bench/run.ts also captures what the app really
// sends and checks the two sets of statements are identical.

const { relationships, programmes, goals, goalMetrics, milestones, tasks, sessions, reflections, stageHistory, outboxEvents, people, organisations, auditEvents } = schema;
const db = drizzle.mock({ schema });

export interface Statement {
  text: string;
  bind(values: Record<string, unknown>): unknown[];
}

const ph = (name: string) => sql.placeholder(name) as unknown as string;
const phs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ph(`${prefix}${i}`));
export const listValues = (prefix: string, ids: string[]) => Object.fromEntries(ids.map((id, i) => [`${prefix}${i}`, id]));

function statement(query: { toSQL(): { sql: string; params: unknown[] } }): Statement {
  const { sql: text, params } = query.toSQL();
  return { text, bind: (values) => fillPlaceholders(params, values) };
}

/** Statements whose text depends on how many ids an IN list has: built per length, once. */
function byLength(build: (n: number) => Statement) {
  const cache = new Map<number, Statement>();
  return (n: number) => {
    let found = cache.get(n);
    if (!found) cache.set(n, (found = build(n)));
    return found;
  };
}

const org = (column: Column) => eq(column, ph('org'));

// access.ts loadRelationship
export const relationshipById = statement(db.select().from(relationships).where(and(org(relationships.orgId), eq(relationships.id, ph('id')))));
export const relationshipByIdForUpdate = statement(
  db.select().from(relationships).where(and(org(relationships.orgId), eq(relationships.id, ph('id')))).for('update'),
);
// programmes/read-programmes.ts loadProgrammeRow
export const programmeById = statement(db.select().from(programmes).where(and(org(programmes.orgId), eq(programmes.id, ph('id')))));

// programmes/read-programmes.ts loadProgrammeOfRelationship (read beside the locking read of the relationship)
export const programmeOfRelationship = statement(
  db
    .select()
    .from(programmes)
    .where(
      and(
        org(programmes.orgId),
        inArray(programmes.id, db.select({ id: relationships.programmeId }).from(relationships).where(and(org(relationships.orgId), eq(relationships.id, ph('id'))))),
      ),
    ),
);

// goals/load-goals.ts: the goals, and their parts named through the same filter (one round trip)
const goalFilter = (n: number) => and(org(goals.orgId), inArray(goals.relationshipId, phs('r', n)));
export const goalsByRelationships = byLength((n) => statement(db.select().from(goals).where(goalFilter(n)).orderBy(asc(goals.id))));
const goalIdsOf = (n: number) => db.select({ id: goals.id }).from(goals).where(goalFilter(n));
export const metricsByRelationships = byLength((n) =>
  statement(db.select().from(goalMetrics).where(and(org(goalMetrics.orgId), inArray(goalMetrics.goalId, goalIdsOf(n)))).orderBy(asc(goalMetrics.position))),
);
export const milestonesByRelationships = byLength((n) =>
  statement(db.select().from(milestones).where(and(org(milestones.orgId), inArray(milestones.goalId, goalIdsOf(n)))).orderBy(asc(milestones.position))),
);
export const tasksByRelationships = byLength((n) =>
  statement(db.select().from(tasks).where(and(org(tasks.orgId), inArray(tasks.goalId, goalIdsOf(n)))).orderBy(asc(tasks.position))),
);
/** The four statements of loadGoals for relationships, sent together. */
export const goalStatementsFor = (n: number) => [goalsByRelationships(n), metricsByRelationships(n), milestonesByRelationships(n), tasksByRelationships(n)];

// relationships/change-relationship.ts, as transition-relationship.ts calls it for a move between stages
export const moveRelationship = statement(
  db
    .update(relationships)
    .set({
      stage: ph('stage'),
      status: ph('status') as 'active',
      stageEnteredAt: ph('now') as unknown as Date,
      version: sql`${relationships.version} + 1`,
      updatedAt: ph('now') as unknown as Date,
      lastActivityAt: ph('now') as unknown as Date,
    })
    .where(and(org(relationships.orgId), eq(relationships.id, ph('id')), eq(relationships.version, ph('version') as unknown as number)))
    .returning(),
);
export const insertHistory = statement(
  db.insert(stageHistory).values({
    id: ph('id'),
    orgId: ph('org'),
    relationshipId: ph('relationshipId'),
    version: ph('version') as unknown as number,
    fromStage: ph('fromStage'),
    toStage: ph('toStage'),
    fromStatus: ph('fromStatus') as 'active',
    toStatus: ph('toStatus') as 'active',
    actor: ph('actor'),
    reason: ph('reason'),
    override: ph('override') as unknown as boolean,
    referralMentorId: ph('referralMentorId'),
    at: ph('at') as unknown as Date,
  }),
);
// events/record-event.ts: ids made in the app, so the INSERT and the NOTIFY go out together
export const insertEvent = statement(
  db
    .insert(outboxEvents)
    .values({ id: ph('id'), orgId: ph('org'), type: ph('type'), subjectId: ph('subjectId'), payload: ph('payload') as never, createdAt: ph('at') as unknown as Date }),
);
const notifyQuery = new PgDialect().sqlToQuery(sql`select pg_notify(${ph('channel')}, ${ph('payload')})` as SQL);
export const notify: Statement = { text: notifyQuery.sql, bind: (values) => fillPlaceholders(notifyQuery.params, values) };

// audit/audit-log.ts recordAudit: services.ts audits every change, in the change's transaction
export const insertAudit = statement(
  db.insert(auditEvents).values({
    id: ph('id'),
    orgId: ph('org'),
    actor: ph('actor'),
    clientId: ph('clientId'),
    action: ph('action'),
    subjectType: ph('subjectType'),
    subjectId: ph('subjectId'),
    at: ph('at') as unknown as Date,
  }),
);

// relationships/read-relationships.ts listRelationships, filtered by programme, first page or after a cursor
export const listByProgramme = statement(
  db.select().from(relationships).where(and(org(relationships.orgId), eq(relationships.programmeId, ph('programmeId')))).orderBy(asc(relationships.id)).limit(ph('limit') as unknown as number),
);
export const listByProgrammeAfter = statement(
  db
    .select()
    .from(relationships)
    .where(and(org(relationships.orgId), eq(relationships.programmeId, ph('programmeId')), gt(relationships.id, ph('cursor'))))
    .orderBy(asc(relationships.id))
    .limit(ph('limit') as unknown as number),
);

// domain/loaders.ts, the batch loads behind GraphQL, and relationships/guard-snapshot.ts (for one relationship or many).
// Within one read-only GraphQL request the loads share a memo: programmes and goals are read once for every
// field that needs them, and people once for mentor, mentee and referralMentor (peopleIn(2) on the screen).
// relationshipsIn is the visibility check of members (once per request) and Goal/Session/Reflection.relationship;
// organisation roles hand the parents down instead, so the admin's screen does not send it.
export const relationshipsIn = byLength((n) =>
  statement(db.select().from(relationships).where(and(org(relationships.orgId), inArray(relationships.id, phs('r', n)))).orderBy(asc(relationships.id))),
);
export const programmesIn = byLength((n) => statement(db.select().from(programmes).where(and(org(programmes.orgId), inArray(programmes.id, phs('p', n))))));
export const peopleIn = byLength((n) => statement(db.select().from(people).where(and(org(people.orgId), inArray(people.id, phs('p', n))))));
export const sessionsIn = byLength((n) =>
  statement(db.select().from(sessions).where(and(org(sessions.orgId), inArray(sessions.relationshipId, phs('r', n)))).orderBy(asc(sessions.id))),
);
export const reflectionsIn = byLength((n) =>
  statement(db.select().from(reflections).where(and(org(reflections.orgId), inArray(reflections.relationshipId, phs('r', n)))).orderBy(asc(reflections.id))),
);
export const historyIn = byLength((n) =>
  statement(db.select().from(stageHistory).where(and(org(stageHistory.orgId), inArray(stageHistory.relationshipId, phs('r', n)))).orderBy(asc(stageHistory.id))),
);
export const discoveryCountsIn = byLength((n) =>
  statement(
    db
      .select({ relationshipId: sessions.relationshipId, n: count() })
      .from(sessions)
      .where(and(org(sessions.orgId), inArray(sessions.relationshipId, phs('r', n)), eq(sessions.kind, ph('kind') as never)))
      .groupBy(sessions.relationshipId),
  ),
);
export const closingPartiesIn = byLength((n) =>
  statement(
    db
      .selectDistinct({ relationshipId: reflections.relationshipId, party: reflections.authorParty })
      .from(reflections)
      .where(and(org(reflections.orgId), inArray(reflections.relationshipId, phs('r', n)), eq(reflections.kind, ph('kind') as never))),
  ),
);

// organisations.ts ensureOrganisation, then people/write-people.ts upsertMany: one statement per batch
export const ensureOrganisation = statement(db.insert(organisations).values({ id: ph('org'), name: ph('name') }).onConflictDoNothing());

/** people/write-people.ts upsertMany: the batch as one JSON document, the same text for every batch. */
export const upsertPeople = statement(
  db
    .insert(people)
    .select(peopleFromJson(ph('org'), ph('now'), ph('records')))
    .onConflictDoUpdate({
      target: [people.orgId, people.externalId],
      set: {
        name: sql`excluded.name`,
        email: sql`excluded.email`,
        timezone: sql`excluded.timezone`,
        skills: sql`excluded.skills`,
        qualifications: sql`excluded.qualifications`,
        experienceSummary: sql`excluded.experience_summary`,
        capacity: sql`excluded.capacity`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .returning({ ...getTableColumns(people), inserted: sql<boolean>`(xmax = 0)` }),
);
