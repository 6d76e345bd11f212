import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { compiledByShape, isAnyOf, param } from '../../db/compiled.ts';
import type { Database } from '../../db/client.ts';
import { goalMetrics, goals, metricReadings, milestones, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { iso, isoOrNull } from '../present.ts';
import { visibleRelationship, type Visibility } from '../relationships/visibility.ts';
import type { Goal } from '../schemas/goal.ts';
import { metricProgress } from '../progress/metric-progress.ts';

export type GoalRow = typeof goals.$inferSelect;

type GoalFilterKind = 'relationship' | 'goal';

// The four statements of loadGoals, compiled once per filter kind and visibility: the id list
// travels as one uuid[] value, and the parts name their goals through the same filter, so all four
// go out together. A batch read for a member also keeps to the member's own relationships.
function goalStatements(db: Database, shape: string) {
  const [kind, visibility] = shape.split(':') as [GoalFilterKind, Visibility];
  const filter = and(
    eq(goals.orgId, param('org')),
    kind === 'goal' ? isAnyOf(goals.id, 'ids') : isAnyOf(goals.relationshipId, 'ids'),
    visibleRelationship(db, goals.relationshipId, visibility),
  );
  const partOf = (goalId: PgColumn) => (kind === 'goal' && visibility === 'organisation' ? isAnyOf(goalId, 'ids') : inArray(goalId, db.select({ id: goals.id }).from(goals).where(filter)));
  return {
    goals: db.select().from(goals).where(filter).orderBy(asc(goals.id)),
    metrics: db
      .select({ metric: goalMetrics, current: latestReading })
      .from(goalMetrics)
      .where(and(eq(goalMetrics.orgId, param('org')), partOf(goalMetrics.goalId)))
      .orderBy(asc(goalMetrics.position)),
    milestones: db.select().from(milestones).where(and(eq(milestones.orgId, param('org')), partOf(milestones.goalId))).orderBy(asc(milestones.position)),
    tasks: db.select().from(tasks).where(and(eq(tasks.orgId, param('org')), partOf(tasks.goalId))).orderBy(asc(tasks.position)),
  };
}
// A metric's current value is its latest reading by the time it was taken, read in the metrics'
// own statement (a correlated subquery on the (metric_id, at) index), so a screen costs no more. The outer
// column is written qualified: drizzle leaves a single table's columns bare inside a select.
export const latestReading = sql<{ value: number; atMs: number; by: string } | null>`(
  select json_build_object('value', r.value, 'atMs', floor(extract(epoch from r.at) * 1000), 'by', r.recorded_by)
  from ${metricReadings} r where r.metric_id = ${sql.identifier('goal_metrics')}.${sql.identifier('id')} order by r.at desc, r.id desc limit 1)`;

const goalsBy = compiledByShape((db, shape) => goalStatements(db, shape).goals);
const metricsBy = compiledByShape((db, shape) => goalStatements(db, shape).metrics);
const milestonesBy = compiledByShape((db, shape) => goalStatements(db, shape).milestones);
const tasksBy = compiledByShape((db, shape) => goalStatements(db, shape).tasks);

/**
 * Goals with their metrics, milestones and tasks for any number of relationships (or goal ids)
 * in four statements sent together, whatever the count: the one loader behind REST, GraphQL and the
 * guards. Callers that checked the relationships already read with `organisation` visibility (the
 * default); a batch read gives the caller's own (visibilityOf), so a member gets only their goals.
 */
export async function loadGoals(ctx: Ctx, by: { relationshipIds?: string[]; goalIds?: string[]; visibility?: Visibility }): Promise<Goal[]> {
  const kind: GoalFilterKind = by.goalIds ? 'goal' : 'relationship';
  const ids = by.goalIds ?? by.relationshipIds ?? [];
  if (ids.length === 0) return [];
  const shape = `${kind}:${by.visibility ?? 'organisation'}`;
  const values = { org: ctx.actor.org, ids, sub: ctx.actor.sub };
  const [rows, metricRows, milestoneRows, taskRows] = await Promise.all([
    goalsBy(ctx.db, shape, values),
    metricsBy(ctx.db, shape, values),
    milestonesBy(ctx.db, shape, values),
    tasksBy(ctx.db, shape, values),
  ]);
  return rows.map((row) => ({
    id: row.id,
    relationshipId: row.relationshipId,
    parentGoalId: row.parentGoalId,
    title: row.title,
    outcome: row.outcome,
    focus: row.focus,
    relevance: row.relevance,
    dueOn: row.dueOn,
    status: row.status,
    mentorConfirmedRealistic: row.mentorConfirmedRealistic,
    agreedByMentorAt: isoOrNull(row.agreedByMentorAt),
    agreedByMenteeAt: isoOrNull(row.agreedByMenteeAt),
    agreedAt: isoOrNull(row.agreedAt),
    round: row.round,
    achievedAt: isoOrNull(row.achievedAt),
    achievement: row.achievement,
    droppedAt: isoOrNull(row.droppedAt),
    dropReason: row.dropReason,
    metrics: metricRows
      .filter(({ metric }) => metric.goalId === row.id)
      .map(({ metric: { id, name, baseline, target, unit }, current }) => ({
        id,
        name,
        baseline,
        target,
        unit,
        current: current ? { value: current.value, at: iso(new Date(Number(current.atMs))), recordedBy: current.by } : null,
        progress: metricProgress({ baseline, target, current: current?.value ?? null }),
      })),
    milestones: milestoneRows.filter((m) => m.goalId === row.id).map(({ id, title, dueOn, doneAt }) => ({ id, title, dueOn, doneAt: isoOrNull(doneAt) })),
    ...tasksOf(taskRows.filter((t) => t.goalId === row.id)),
    reopened: row.reopenedAt ? { at: iso(row.reopenedAt), because: row.reopenedBecause ?? [] } : null,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }));
}

function tasksOf(rows: (typeof tasks.$inferSelect)[]): Pick<Goal, 'tasks' | 'taskProgress'> {
  return {
    tasks: rows.map(({ id, title, dueOn, resources, doneAt, doneBy, doneNote }) => ({ id, title, dueOn, resources, doneAt: isoOrNull(doneAt), doneBy, doneNote })),
    taskProgress: { done: rows.filter((task) => task.doneAt !== null).length, total: rows.length },
  };
}
