import type { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { goalFacts } from '../goals/goal-facts.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import { touchActivity } from '../relationships/change-relationship.ts';
import type { Goal } from '../schemas/goal.ts';
import { ReopenTaskInput } from '../schemas/progress.ts';
import { parseInput } from '../validate.ts';
import { loadTaskForWork, type TaskIds } from './scoped-task.ts';

/** A task done turns out not to be: it is open again, its completion cleared. Reopening an open task changes nothing. */
export async function reopenTask(ctx: Ctx, rawInput: TaskIds & { reopening?: z.input<typeof ReopenTaskInput> }): Promise<Goal> {
  authorize(ctx.actor, 'reopenTask');
  const input = parseInput(ReopenTaskInput, rawInput.reopening ?? {});
  return withAudit(ctx, { action: 'reopenTask', subjectType: 'task', subjectId: () => rawInput.taskId }, async (tx) => {
    const { goal, relationship, task } = await loadTaskForWork(tx, rawInput, 'reopen tasks');
    if (task.doneAt) {
      await tx.db.update(tasks).set({ doneAt: null, doneBy: null, doneNote: null }).where(and(eq(tasks.orgId, tx.actor.org), eq(tasks.id, task.id)));
      await recordEvent(tx, 'task.reopened', task.id, {
        ...goalFacts(relationship.row, goal),
        taskId: task.id,
        taskTitle: task.title,
        wasDoneAt: iso(task.doneAt),
        note: input.note ?? null,
      });
      await touchActivity(tx, relationship.row);
    }
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
