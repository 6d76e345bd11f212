import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { metricReadings } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { authorize } from '../permissions.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import type { MetricReading } from '../schemas/progress.ts';
import { parseInput } from '../validate.ts';
import { presentReading } from './present-reading.ts';
import { loadScopedMetric, type MetricIds } from './scoped-metric.ts';

/** A metric's readings in the order they were recorded, a page at a time. */
export async function listMetricReadings(ctx: Ctx, input: MetricIds & z.input<typeof PageQuery>): Promise<Page<MetricReading>> {
  authorize(ctx.actor, 'listMetricReadings');
  const { relationshipId, goalId, metricId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  const { metric } = await loadScopedMetric(ctx, { relationshipId, goalId, metricId });
  const where = and(eq(metricReadings.orgId, ctx.actor.org), eq(metricReadings.metricId, metric.id));
  return listPage(ctx.db.select().from(metricReadings).$dynamic(), { query, key: byId(metricReadings.id), where }, presentReading);
}
