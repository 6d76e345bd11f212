import { and, eq } from 'drizzle-orm';
import { goals, milestones, relationships, tasks } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';

export type DueSoonKind = 'task' | 'milestone' | 'goal';

/**
 * A scheduled reminder (src/jobs/): a task, milestone or goal of an active relationship is due
 * soon. Sent once per due date (the job's key carries it); if it was done, dropped or moved
 * meanwhile, nothing is sent (a moved due date has a reminder of its own).
 */
export async function remindDueSoon(ctx: Ctx, input: { kind: DueSoonKind; id: string; dueOn: string }): Promise<{ sent: boolean }> {
  const item = await loadItem(ctx, input.kind, input.id);
  if (!item || item.relationshipStatus !== 'active' || item.dueOn !== input.dueOn || item.closed) return { sent: false };
  const facts = { relationshipId: item.relationshipId, goalId: item.goalId, title: item.goalTitle, dueOn: item.dueOn, version: item.version };
  if (input.kind === 'task') await recordEvent(ctx, 'task.due_soon', input.id, { ...facts, taskId: input.id, taskTitle: item.title });
  else if (input.kind === 'milestone') await recordEvent(ctx, 'milestone.due_soon', input.id, { ...facts, milestoneId: input.id, milestoneTitle: item.title });
  else await recordEvent(ctx, 'goal.due_soon', input.id, facts);
  return { sent: true };
}

interface DueItem {
  title: string;
  dueOn: string | null;
  closed: boolean;
  goalId: string;
  goalTitle: string;
  relationshipId: string;
  relationshipStatus: string;
  version: number;
}

async function loadItem(ctx: Ctx, kind: DueSoonKind, id: string): Promise<DueItem | undefined> {
  const org = ctx.actor.org;
  const goalFacts = { goalId: goals.id, goalTitle: goals.title, relationshipId: relationships.id, relationshipStatus: relationships.status, version: relationships.version };
  const ofGoal = (goalStatus: string) => goalStatus === 'dropped' || goalStatus === 'achieved';
  if (kind === 'goal') {
    const [row] = await ctx.db
      .select({ ...goalFacts, title: goals.title, dueOn: goals.dueOn, status: goals.status })
      .from(goals)
      .innerJoin(relationships, eq(relationships.id, goals.relationshipId))
      .where(and(eq(goals.orgId, org), eq(relationships.orgId, org), eq(goals.id, id)));
    return row && { ...row, closed: row.status !== 'agreed' };
  }
  const table = kind === 'task' ? tasks : milestones;
  const [row] = await ctx.db
    .select({ ...goalFacts, title: table.title, dueOn: table.dueOn, doneAt: table.doneAt, status: goals.status })
    .from(table)
    .innerJoin(goals, eq(goals.id, table.goalId))
    .innerJoin(relationships, eq(relationships.id, goals.relationshipId))
    .where(and(eq(table.orgId, org), eq(goals.orgId, org), eq(relationships.orgId, org), eq(table.id, id)));
  return row && { ...row, closed: row.doneAt !== null || ofGoal(row.status) };
}
