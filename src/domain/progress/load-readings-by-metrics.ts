import { and, asc, eq, getTableColumns, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { compiledByShape, isAnyOf, param } from '../../db/compiled.ts';
import { goals, metricReadings } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { distinctIds, visibilityOf, visibleRelationship, type Visibility } from '../relationships/visibility.ts';
import type { MetricReading } from '../schemas/progress.ts';
import { presentReading } from './present-reading.ts';
import { parseInput } from '../validate.ts';

const Last = z.number().int().min(1).max(100);

// The latest readings of each metric of a batch, by when they were measured: one statement
// (a window over the metrics' readings), with the member rule inside it like every batch read.
const recentReadings = compiledByShape((db, visibility) => {
  const ranked = db
    .select({
      ...getTableColumns(metricReadings),
      rank: sql<number>`row_number() over (partition by ${metricReadings.metricId} order by ${metricReadings.at} desc, ${metricReadings.id} desc)`.as('rank'),
    })
    .from(metricReadings)
    .innerJoin(goals, eq(goals.id, metricReadings.goalId))
    .where(and(eq(metricReadings.orgId, param('org')), eq(goals.orgId, param('org')), isAnyOf(metricReadings.metricId, 'ids'), visibleRelationship(db, goals.relationshipId, visibility as Visibility)))
    .as('ranked');
  return db
    .select()
    .from(ranked)
    .where(lte(ranked.rank, param<number>('last')))
    .orderBy(asc(ranked.metricId), asc(ranked.at), asc(ranked.id));
});

/** Up to `last` latest readings of each of many metrics, oldest first, of those the caller may see (GraphQL's loaders). */
export async function loadReadingsByMetrics(ctx: Ctx, input: { metricIds: string[]; last: number }): Promise<MetricReading[]> {
  authorize(ctx.actor, 'listMetricReadings');
  const ids = distinctIds(input.metricIds);
  if (ids.length === 0) return [];
  const last = parseInput(Last, input.last);
  const rows = await recentReadings(ctx.db, visibilityOf(ctx.actor), { org: ctx.actor.org, sub: ctx.actor.sub, ids, last });
  return rows.map(({ rank: _rank, ...row }) => presentReading(row));
}
