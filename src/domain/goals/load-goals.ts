import { and, asc, eq, inArray } from 'drizzle-orm';
import { goalMetrics, goals, milestones, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { iso, isoOrNull } from '../present.ts';
import type { Goal } from '../schemas/goal.ts';

export type GoalRow = typeof goals.$inferSelect;

/**
 * Goals with their metrics, milestones and tasks for any number of relationships (or goal ids)
 * in four statements, whatever the count: the one loader behind REST, GraphQL and the guards.
 */
export async function loadGoals(ctx: Ctx, by: { relationshipIds?: string[]; goalIds?: string[] }): Promise<Goal[]> {
  const filter = by.goalIds ? inArray(goals.id, by.goalIds) : inArray(goals.relationshipId, by.relationshipIds ?? []);
  if ((by.goalIds ?? by.relationshipIds ?? []).length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(goals)
    .where(and(eq(goals.orgId, ctx.actor.org), filter))
    .orderBy(asc(goals.id));
  if (rows.length === 0) return [];
  const ids = rows.map((g) => g.id);
  const org = ctx.actor.org;
  const [metricRows, milestoneRows, taskRows] = await Promise.all([
    ctx.db.select().from(goalMetrics).where(and(eq(goalMetrics.orgId, org), inArray(goalMetrics.goalId, ids))).orderBy(asc(goalMetrics.position)),
    ctx.db.select().from(milestones).where(and(eq(milestones.orgId, org), inArray(milestones.goalId, ids))).orderBy(asc(milestones.position)),
    ctx.db.select().from(tasks).where(and(eq(tasks.orgId, org), inArray(tasks.goalId, ids))).orderBy(asc(tasks.position)),
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
