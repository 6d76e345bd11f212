import type { metricReadings } from '../../db/schema.ts';
import { iso } from '../present.ts';
import type { MetricReading } from '../schemas/progress.ts';

export const presentReading = (row: typeof metricReadings.$inferSelect): MetricReading => ({
  id: row.id,
  goalId: row.goalId,
  metricId: row.metricId,
  value: row.value,
  at: iso(row.at),
  recordedBy: row.recordedBy,
  note: row.note,
  createdAt: iso(row.createdAt),
});
