import { z } from 'zod';
import { Id, Timestamp, longText } from './common.ts';
import { Goal } from './goal.ts';

const note = longText(2000).nullable().optional();

export const CompleteTaskInput = z
  .strictObject({
    note: note.meta({ description: 'What was done, what came of it.' }),
    doneAt: Timestamp.optional().meta({ description: 'When it was done, if earlier than now; never in the future.' }),
  })
  .meta({ id: 'CompleteTask' });
export type CompleteTaskInput = z.infer<typeof CompleteTaskInput>;

export const ReopenTaskInput = z.strictObject({ note: note.meta({ description: 'Why it is not done after all.' }) }).meta({ id: 'ReopenTask' });
export type ReopenTaskInput = z.infer<typeof ReopenTaskInput>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

export const RecordReadingInput = z
  .strictObject({
    value: finite.meta({ description: "The metric's value, in its unit." }),
    at: Timestamp.optional().meta({ description: 'When the value was measured (defaults to now); never in the future.' }),
    note: note.meta({ description: 'Context for the check-in.' }),
  })
  .meta({ id: 'RecordReading' });
export type RecordReadingInput = z.infer<typeof RecordReadingInput>;

export const MetricReading = z
  .object({ id: Id, goalId: Id, metricId: Id, value: z.number(), at: Timestamp, recordedBy: z.string(), note: z.string().nullable(), createdAt: Timestamp })
  .meta({ id: 'MetricReading' });
export type MetricReading = z.infer<typeof MetricReading>;

export const ReadingRecorded = z
  .object({ reading: MetricReading, goal: Goal })
  .meta({ id: 'ReadingRecorded' });
export type ReadingRecorded = z.infer<typeof ReadingRecorded>;
