import type { z } from 'zod';
import { and, eq } from 'drizzle-orm';
import { tasks } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { goalFacts } from '../goals/goal-facts.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import { touchActivity } from '../relationships/change-relationship.ts';
import type { Goal } from '../schemas/goal.ts';
import { CompleteTaskInput } from '../schemas/progress.ts';
import { parseInput } from '../validate.ts';
import { loadTaskForWork, type TaskIds } from './scoped-task.ts';

/** A task of the action plan is done: who, when (now, or earlier), and a note. Completing it again changes nothing. */
export async function completeTask(ctx: Ctx, rawInput: TaskIds & { completion?: z.input<typeof CompleteTaskInput> }): Promise<Goal> {
  authorize(ctx.actor, 'completeTask');
  const input = parseInput(CompleteTaskInput, rawInput.completion ?? {});
  return withAudit(ctx, { action: 'completeTask', subjectType: 'task', subjectId: () => rawInput.taskId }, async (tx) => {
    const { goal, relationship, task } = await loadTaskForWork(tx, rawInput, 'complete tasks');
    if (!task.doneAt) {
      const now = tx.clock();
      const doneAt = input.doneAt ? new Date(input.doneAt) : now;
      if (doneAt > now) throw invalid('A task cannot be done in the future.', [{ path: 'doneAt', message: 'must not be in the future' }]);
      const note = input.note ?? null;
      await tx.db.update(tasks).set({ doneAt, doneBy: tx.actor.sub, doneNote: note }).where(and(eq(tasks.orgId, tx.actor.org), eq(tasks.id, task.id)));
      await recordEvent(tx, 'task.completed', task.id, { ...goalFacts(relationship.row, goal), taskId: task.id, taskTitle: task.title, doneAt: iso(doneAt), note });
      await touchActivity(tx, relationship.row);
    }
    return (await loadGoals(tx, { goalIds: [goal.id] }))[0]!;
  });
}
