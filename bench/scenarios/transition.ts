import type postgres from 'postgres';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_CHANNEL } from '../../src/db/event-feed.ts';
import type { CeilingDb } from '../ceilings/ceiling-db.ts';
import * as s from '../ceilings/statements.ts';
import type { BenchContext, Scenario } from './types.ts';

const ACTOR = 'bench-admin';
const POOL = 2000;

/**
 * Relationships that can move back and forth between growth and negotiation: growth → negotiation
 * has no guard, and negotiation → growth checks the agreement and a SMART agreed goal, which the
 * seeded growth relationships have. Spread over the table, so the writes do not share pages.
 */
export async function movablePool(ctx: BenchContext, size = POOL): Promise<string[]> {
  const rows = await ctx.sql<{ id: string }[]>`
    select r.id from relationships r
    where r.org_id = ${ctx.org} and r.status = 'active' and r.stage in ('growth', 'negotiation') and r.agreement is not null
      and exists (select 1 from goals g where g.org_id = r.org_id and g.relationship_id = r.id and g.status = 'agreed')
    order by md5(r.id::text) limit ${size}`;
  if (rows.length < ctx.connections * 4) throw new Error(`only ${rows.length} relationships can move; the transition scenario needs ${ctx.connections * 4}`);
  return rows.map((row) => row.id);
}

/** The stage each relationship of the pool is in now, as the next move's starting point. */
export async function stagesOf(ctx: BenchContext, ids: string[]): Promise<Map<string, string>> {
  const rows = await ctx.sql<{ id: string; stage: string }[]>`select id, stage from relationships where id = any(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.id, row.stage]));
}

/** Round-robin moves over the pool: each relationship flips between growth and negotiation. */
export async function moveRequests(ctx: BenchContext, pool: string[]) {
  const stages = await stagesOf(ctx, pool);
  let i = 0;
  return () => {
    const id = pool[i++ % pool.length]!;
    const to = stages.get(id) === 'growth' ? 'negotiation' : 'growth';
    stages.set(id, to);
    return { method: 'POST' as const, path: `/v1/relationships/${id}/transitions`, body: JSON.stringify({ to }) };
  };
}

/**
 * transition-relationship.ts and the audit services.ts adds, statement for statement and in the
 * same grouping, in one transaction: the lock beside the programme; the guard facts only for
 * negotiation → growth (growth → negotiation has no guard); the update, history row, event and
 * NOTIFY together; then the audit row.
 */
async function move(db: CeilingDb, tx: postgres.TransactionSql, org: string, id: string): Promise<void> {
  const now = new Date();
  const [[row]] = await Promise.all([db.run(s.relationshipByIdForUpdate, { org, id }, tx), db.run(s.programmeOfRelationship, { org, id }, tx)]);
  if (!row) throw new Error('relationship not found');
  const from = row.stage as string;
  const to = from === 'growth' ? 'negotiation' : 'growth';
  if (to === 'growth') {
    await Promise.all([
      ...s.goalStatements.map((statement) => db.run(statement, { org, ids: [id] }, tx)),
      db.run(s.discoveryCountsIn, { org, ids: [id], kind: 'discovery', status: 'held' }, tx),
      db.run(s.closingPartiesIn, { org, ids: [id], kind: 'closing' }, tx),
    ]);
  }
  const version = (row.version as number) + 1;
  const facts = { relationshipId: id, programmeId: row.programme_id, from, to, stage: to, status: 'active', reason: null, override: false, version };
  const payload = { organisationId: org, actor: ACTOR, ...facts };
  const type = 'relationship.stage_changed';
  const eventId = uuidv7();
  const [[updated]] = await Promise.all([
    db.run(s.moveRelationship, { stage: to, status: 'active', now, org, id, version: row.version }, tx),
    db.run(
      s.insertHistory,
      { id: uuidv7(), org, relationshipId: id, version, fromStage: from, toStage: to, fromStatus: 'active', toStatus: 'active', actor: ACTOR, reason: null, override: false, referralMentorId: null, at: now },
      tx,
    ),
    db.run(s.insertEvent, { id: eventId, org, type, subjectId: id, payload, at: now, traceparent: null }, tx),
    db.run(s.notify, { channel: EVENTS_CHANNEL, payload: JSON.stringify({ id: eventId, orgId: org, type, subjectId: id, payload }) }, tx),
  ]);
  if (!updated) throw new Error('version conflict');
  await db.run(s.insertAudit, { id: uuidv7(), org, actor: ACTOR, clientId: null, action: 'transitionRelationship', subjectType: 'relationship', subjectId: id, at: new Date() }, tx);
}

/** POST /v1/relationships/{id}/transitions: guards, the version-checked update, history, outbox and NOTIFY. */
export const transition: Scenario = {
  name: 'transition',
  title: 'POST /v1/relationships/{id}/transitions',
  group: 'write',
  target: 0.6,
  combinedTarget: 0.9,
  // There and back on one relationship: negotiation → growth checks its guards, growth → negotiation has none.
  samples: 2,
  async prepare(ctx) {
    const pool = await movablePool(ctx);
    return {
      requests: () => moveRequests(ctx, pool),
      ceiling: (db) => {
        let i = 0;
        return () => db.begin((tx) => move(db, tx, ctx.org, pool[i++ % pool.length]!));
      },
    };
  },
};
