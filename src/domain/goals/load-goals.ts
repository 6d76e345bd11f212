import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { compiledByShape } from '../../db/compiled.ts';
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
// Statements for up to this many ids are compiled once per list length; longer lists are built per call.
const COMPILED_UP_TO = 4;

type GoalFilterKind = 'relationship' | 'goal';
const listPlaceholders = (n: number) => Array.from({ length: n }, (_, i) => sql.placeholder(`id${i}`) as unknown as string);
const goalFilter = (kind: GoalFilterKind, ids: string[]) =>
  and(eq(goals.orgId, sql.placeholder('org') as unknown as string), kind === 'goal' ? inArray(goals.id, ids) : inArray(goals.relationshipId, ids));

/** The four statements of loadGoals for one filter; the parts name their goals through the same filter. */
function goalStatements(db: Database, kind: GoalFilterKind, ids: string[]) {
  const org = sql.placeholder('org') as unknown as string;
  const filter = goalFilter(kind, ids);
  const goalIds = kind === 'goal' ? ids : db.select({ id: goals.id }).from(goals).where(filter);
  return {
    goals: db.select().from(goals).where(filter).orderBy(asc(goals.id)),
    metrics: db.select().from(goalMetrics).where(and(eq(goalMetrics.orgId, org), inArray(goalMetrics.goalId, goalIds))).orderBy(asc(goalMetrics.position)),
    milestones: db.select().from(milestones).where(and(eq(milestones.orgId, org), inArray(milestones.goalId, goalIds))).orderBy(asc(milestones.position)),
    tasks: db.select().from(tasks).where(and(eq(tasks.orgId, org), inArray(tasks.goalId, goalIds))).orderBy(asc(tasks.position)),
  };
}

const shapeOf = (shape: string) => {
  const [kind, n] = shape.split(':') as [GoalFilterKind, string];
  return { kind, ids: listPlaceholders(Number(n)) };
};
const compiledGoals = compiledByShape((db, shape) => goalStatements(db, shapeOf(shape).kind, shapeOf(shape).ids).goals);
const compiledMetrics = compiledByShape((db, shape) => goalStatements(db, shapeOf(shape).kind, shapeOf(shape).ids).metrics);
const compiledMilestones = compiledByShape((db, shape) => goalStatements(db, shapeOf(shape).kind, shapeOf(shape).ids).milestones);
const compiledTasks = compiledByShape((db, shape) => goalStatements(db, shapeOf(shape).kind, shapeOf(shape).ids).tasks);

/**
 * Goals with their metrics, milestones and tasks for any number of relationships (or goal ids)
 * in four statements sent together, whatever the count: the one loader behind REST, GraphQL and the guards.
 */
export async function loadGoals(ctx: Ctx, by: { relationshipIds?: string[]; goalIds?: string[] }): Promise<Goal[]> {
  const kind: GoalFilterKind = by.goalIds ? 'goal' : 'relationship';
  const ids = by.goalIds ?? by.relationshipIds ?? [];
  if (ids.length === 0) return [];
  let rows: GoalRow[];
  let metricRows: (typeof goalMetrics.$inferSelect)[];
  let milestoneRows: (typeof milestones.$inferSelect)[];
  let taskRows: (typeof tasks.$inferSelect)[];
  if (ids.length <= COMPILED_UP_TO) {
    const shape = `${kind}:${ids.length}`;
    const values = { org: ctx.actor.org, ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])) };
    [rows, metricRows, milestoneRows, taskRows] = await Promise.all([
      compiledGoals(ctx.db, shape, values),
      compiledMetrics(ctx.db, shape, values),
      compiledMilestones(ctx.db, shape, values),
      compiledTasks(ctx.db, shape, values),
    ]);
  } else {
    const statements = goalStatements(ctx.db, kind, ids);
    [rows, metricRows, milestoneRows, taskRows] = await Promise.all([
      statements.goals.execute({ org: ctx.actor.org }),
      statements.metrics.execute({ org: ctx.actor.org }),
      statements.milestones.execute({ org: ctx.actor.org }),
      statements.tasks.execute({ org: ctx.actor.org }),
    ]);
  }
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
