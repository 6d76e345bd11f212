import { and, asc, count, eq, fillPlaceholders, gt, inArray, max, sql, type Column, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import * as schema from '../../src/db/schema.ts';
import { isAnyOf } from '../../src/db/compiled.ts';
import { latestReading } from '../../src/domain/goals/load-goals.ts';
import { peopleFromJson, replaceByExternalId, upsertedPeople } from '../../src/domain/people/upsert-people.ts';

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

function statement(query: { toSQL(): { sql: string; params: unknown[] } }): Statement {
  const { sql: text, params } = query.toSQL();
  return { text, bind: (values) => fillPlaceholders(params, values) };
}

const org = (column: Column) => eq(column, ph('org'));

// access.ts loadRelationship
export const relationshipById = statement(db.select().from(relationships).where(and(org(relationships.orgId), eq(relationships.id, ph('id')))));
export const relationshipByIdForUpdate = statement(
  db.select().from(relationships).where(and(org(relationships.orgId), eq(relationships.id, ph('id')))).for('update'),
);
// programmes/load-programme.ts loadProgrammeRow
export const programmeById = statement(db.select().from(programmes).where(and(org(programmes.orgId), eq(programmes.id, ph('id')))));

// programmes/load-programme.ts loadProgrammeOfRelationship (read beside the locking read of the relationship)
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

// goals/load-goals.ts: the goals, and their parts named through the same filter (one round trip);
// id lists travel as one uuid[] value (db/compiled.ts isAnyOf), so one text serves every length
const goalFilter = and(org(goals.orgId), isAnyOf(goals.relationshipId, 'ids'));
const goalIds = db.select({ id: goals.id }).from(goals).where(goalFilter);
export const goalsByRelationships = statement(db.select().from(goals).where(goalFilter).orderBy(asc(goals.id)));
// each metric with its latest reading (load-goals.ts latestReading, the same expression)
export const metricsByRelationships = statement(
  db
    .select({ metric: goalMetrics, current: latestReading })
    .from(goalMetrics)
    .where(and(org(goalMetrics.orgId), inArray(goalMetrics.goalId, goalIds)))
    .orderBy(asc(goalMetrics.position)),
);
export const milestonesByRelationships = statement(db.select().from(milestones).where(and(org(milestones.orgId), inArray(milestones.goalId, goalIds))).orderBy(asc(milestones.position)));
export const tasksByRelationships = statement(db.select().from(tasks).where(and(org(tasks.orgId), inArray(tasks.goalId, goalIds))).orderBy(asc(tasks.position)));
/** The four statements of loadGoals for relationships (values: org, ids), sent together. */
export const goalStatements = [goalsByRelationships, metricsByRelationships, milestonesByRelationships, tasksByRelationships];

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
    .values({ id: ph('id'), orgId: ph('org'), type: ph('type'), subjectId: ph('subjectId'), payload: ph('payload') as never, createdAt: ph('at') as unknown as Date, traceparent: ph('traceparent') }),
);
const notifyQuery = new PgDialect().sqlToQuery(sql`select pg_notify(${ph('channel')}, ${ph('payload')})` as SQL);
export const notify: Statement = { text: notifyQuery.sql, bind: (values) => fillPlaceholders(notifyQuery.params, values) };

// audit/record-audit.ts withAudit: every changing use case writes its audit row in the change's transaction
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

// relationships/list-relationships.ts listRelationships, filtered by programme, first page or after a cursor
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

// The domain's batch loads behind GraphQL (load-…-by-ids.ts, load-…-by-relationships.ts, load-next-stages.ts)
// and relationships/guard-snapshot.ts (for one relationship or many). Within one read-only GraphQL request the
// fields share a memo (src/graphql/request-memo.ts): programmes and goals are read once for every field that
// needs them, and people once for mentor, mentee and referralMentor (peopleIn(2) on the screen).
// relationshipsIn serves Goal/Session/Reflection.relationship; nextStages is handed the relationships it hangs
// on, so the admin's screen does not send it. These are the organisation roles' statements; a member's add a
// subquery keeping to their own relationships (relationships/visibility.ts).
// Batch reads by an id list (values: org, ids)
export const relationshipsIn = statement(db.select().from(relationships).where(and(org(relationships.orgId), isAnyOf(relationships.id, 'ids'))).orderBy(asc(relationships.id)));
export const programmesIn = statement(db.select().from(programmes).where(and(org(programmes.orgId), isAnyOf(programmes.id, 'ids'))));
export const peopleIn = statement(db.select().from(people).where(and(org(people.orgId), isAnyOf(people.id, 'ids'))));
export const sessionsIn = statement(db.select().from(sessions).where(and(org(sessions.orgId), isAnyOf(sessions.relationshipId, 'ids'))).orderBy(asc(sessions.id)));
export const reflectionsIn = statement(db.select().from(reflections).where(and(org(reflections.orgId), isAnyOf(reflections.relationshipId, 'ids'))).orderBy(asc(reflections.id)));
export const historyIn = statement(db.select().from(stageHistory).where(and(org(stageHistory.orgId), isAnyOf(stageHistory.relationshipId, 'ids'))).orderBy(asc(stageHistory.id)));
export const discoveryCountsIn = statement(
  db
    .select({ relationshipId: sessions.relationshipId, n: count(), longest: max(sessions.minutes) })
    .from(sessions)
    .where(and(org(sessions.orgId), isAnyOf(sessions.relationshipId, 'ids'), eq(sessions.kind, ph('kind') as never), eq(sessions.status, ph('status') as never)))
    .groupBy(sessions.relationshipId),
);
export const closingPartiesIn = statement(
  db
    .selectDistinct({ relationshipId: reflections.relationshipId, party: reflections.authorParty })
    .from(reflections)
    .where(and(org(reflections.orgId), isAnyOf(reflections.relationshipId, 'ids'), eq(reflections.kind, ph('kind') as never))),
);

// organisations.ts ensureOrganisation, then people/upsert-people.ts upsertMany: one statement per batch
export const ensureOrganisation = statement(db.insert(organisations).values({ id: ph('org'), name: ph('name') }).onConflictDoNothing());

/** people/upsert-people.ts upsertMany: the batch as one JSON document, the same text for every batch. */
export const upsertPeople = statement(db.insert(people).select(peopleFromJson(ph('org'), ph('now'), ph('records'))).onConflictDoUpdate(replaceByExternalId).returning(upsertedPeople));
