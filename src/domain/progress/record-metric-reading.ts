import type { z } from 'zod';
import { metricReadings } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { conflict, invalid } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { goalFacts } from '../goals/goal-facts.ts';
import { loadGoals } from '../goals/load-goals.ts';
import { authorize } from '../permissions.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { RecordReadingInput, type ReadingRecorded } from '../schemas/progress.ts';
import { parseInput } from '../validate.ts';
import { presentReading } from './present-reading.ts';
import { loadScopedMetric, type MetricIds } from './scoped-metric.ts';

/**
 * A check-in: where a goal's metric stands (value, when, who, a note). The latest reading by its
 * time is the metric's current value; a reading never changes the goal's agreement.
 */
export async function recordMetricReading(ctx: Ctx, rawInput: MetricIds & { reading: z.input<typeof RecordReadingInput> }): Promise<ReadingRecorded> {
  authorize(ctx.actor, 'recordMetricReading');
  const input = parseInput(RecordReadingInput, rawInput.reading);
  return withAudit(ctx, { action: 'recordMetricReading', subjectType: 'metric_reading', subjectId: (result) => result.reading.id }, async (tx) => {
    const { goal, relationship, metric } = await loadScopedMetric(tx, rawInput, { lock: true });
    requireActive(relationship.row, 'record readings');
    if (goal.status === 'dropped') throw conflict('The goal is dropped; its metrics take no more readings.');
    const now = tx.clock();
    const at = input.at ? new Date(input.at) : now;
    if (at > now) throw invalid('A reading cannot be taken in the future.', [{ path: 'at', message: 'must not be in the future' }]);
    const [row] = await tx.db
      .insert(metricReadings)
      .values({ orgId: tx.actor.org, goalId: goal.id, metricId: metric.id, value: input.value, at, recordedBy: tx.actor.sub, note: input.note ?? null, createdAt: now })
      .returning();
    const reading = presentReading(row!);
    const [current] = await loadGoals(tx, { goalIds: [goal.id] });
    const progress = current!.metrics.find((m) => m.id === metric.id)!;
    await recordEvent(tx, 'metric.recorded', reading.id, {
      ...goalFacts(relationship.row, goal),
      metricId: metric.id,
      metricName: metric.name,
      readingId: reading.id,
      value: reading.value,
      at: reading.at,
      currentValue: progress.current?.value ?? null,
      progress: progress.progress,
    });
    await touchActivity(tx, relationship.row);
    return { reading, goal: current! };
  });
}
