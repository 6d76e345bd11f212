import { and, asc, eq, inArray } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { compiledByShape, isAnyOf, param } from '../../db/compiled.ts';
import type { Database } from '../../db/client.ts';
import { goalMetrics, goals, milestones, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { iso, isoOrNull } from '../present.ts';
import type { Goal } from '../schemas/goal.ts';

export type GoalRow = typeof goals.$inferSelect;

/**
 * Goals with their metrics, milestones and tasks for any number of relationships (or goal ids)
 * in four statements sent together, whatever the count: the one loader behind REST, GraphQL and the guards.
 */
type GoalFilterKind = 'relationship' | 'goal';

// The four statements of loadGoals, compiled once per filter kind: the id list travels as one
// uuid[] value, and the parts name their goals through the same filter, so all four go out together.
function goalStatements(db: Database, kind: GoalFilterKind) {
  const filter = and(eq(goals.orgId, param('org')), kind === 'goal' ? isAnyOf(goals.id, 'ids') : isAnyOf(goals.relationshipId, 'ids'));
  const partOf = (goalId: PgColumn) => (kind === 'goal' ? isAnyOf(goalId, 'ids') : inArray(goalId, db.select({ id: goals.id }).from(goals).where(filter)));
  return {
    goals: db.select().from(goals).where(filter).orderBy(asc(goals.id)),
    metrics: db.select().from(goalMetrics).where(and(eq(goalMetrics.orgId, param('org')), partOf(goalMetrics.goalId))).orderBy(asc(goalMetrics.position)),
    milestones: db.select().from(milestones).where(and(eq(milestones.orgId, param('org')), partOf(milestones.goalId))).orderBy(asc(milestones.position)),
    tasks: db.select().from(tasks).where(and(eq(tasks.orgId, param('org')), partOf(tasks.goalId))).orderBy(asc(tasks.position)),
  };
}
const goalsBy = compiledByShape((db, kind) => goalStatements(db, kind as GoalFilterKind).goals);
const metricsBy = compiledByShape((db, kind) => goalStatements(db, kind as GoalFilterKind).metrics);
const milestonesBy = compiledByShape((db, kind) => goalStatements(db, kind as GoalFilterKind).milestones);
const tasksBy = compiledByShape((db, kind) => goalStatements(db, kind as GoalFilterKind).tasks);

/**
 * Goals with their metrics, milestones and tasks for any number of relationships (or goal ids)
 * in four statements sent together, whatever the count: the one loader behind REST, GraphQL and the guards.
 */
export async function loadGoals(ctx: Ctx, by: { relationshipIds?: string[]; goalIds?: string[] }): Promise<Goal[]> {
  const kind: GoalFilterKind = by.goalIds ? 'goal' : 'relationship';
  const ids = by.goalIds ?? by.relationshipIds ?? [];
  if (ids.length === 0) return [];
  const values = { org: ctx.actor.org, ids };
  const [rows, metricRows, milestoneRows, taskRows] = await Promise.all([
    goalsBy(ctx.db, kind, values),
    metricsBy(ctx.db, kind, values),
    milestonesBy(ctx.db, kind, values),
    tasksBy(ctx.db, kind, values),
  ]);
  return rows.map((row) => ({
    id: row.id,
    relationshipId: row.relationshipId,
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
    achievedAt: isoOrNull(row.achievedAt),
    droppedAt: isoOrNull(row.droppedAt),
    dropReason: row.dropReason,
    metrics: metricRows.filter((m) => m.goalId === row.id).map(({ id, name, baseline, target, unit }) => ({ id, name, baseline, target, unit })),
    milestones: milestoneRows.filter((m) => m.goalId === row.id).map(({ id, title, dueOn, doneAt }) => ({ id, title, dueOn, doneAt: isoOrNull(doneAt) })),
    tasks: taskRows.filter((t) => t.goalId === row.id).map(({ id, title, dueOn, resources, doneAt }) => ({ id, title, dueOn, resources, doneAt: isoOrNull(doneAt) })),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }));
}
