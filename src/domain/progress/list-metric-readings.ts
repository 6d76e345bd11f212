import { and, asc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { metricReadings } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { cursorCodec, evolvedCodec, idCursor, readPage, type EvolvedKey, type PageKey } from '../pagination.ts';
import { authorize } from '../permissions.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import type { MetricReading } from '../schemas/progress.ts';
import { isUuid } from '../uuid.ts';
import { parseInput } from '../validate.ts';
import { presentReading } from './present-reading.ts';
import { loadScopedMetric, type MetricIds } from './scoped-metric.ts';

type ReadingRow = typeof metricReadings.$inferSelect;
type ReadingKey = { at: string; id: string };

/** Cursors of readings: when the last one was measured, then its id (the order GraphQL's readings come in too). */
const measuredCursor = cursorCodec<ReadingKey>('m1:', {
  format: ({ at, id }) => `${at}|${id}`,
  parse(text) {
    const [at, id, ...rest] = text.split('|');
    return rest.length === 0 && at && id && isUuid(id) && !Number.isNaN(Date.parse(at)) ? { at, id } : undefined;
  },
});
const byMeasured: PageKey<ReadingRow, EvolvedKey<ReadingKey, string>> = {
  column: metricReadings.at,
  codec: evolvedCodec(measuredCursor, idCursor),
  of: (row) => ({ key: { at: row.at.toISOString(), id: row.id } }),
};

/** A metric's readings in the order they were measured (then by id), a page at a time: a reading recorded late takes its place in the history. */
export async function listMetricReadings(ctx: Ctx, input: MetricIds & z.input<typeof PageQuery>): Promise<Page<MetricReading>> {
  authorize(ctx.actor, 'listMetricReadings');
  const { relationshipId, goalId, metricId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  const { metric } = await loadScopedMetric(ctx, { relationshipId, goalId, metricId });
  const r = metricReadings;
  const where = and(eq(r.orgId, ctx.actor.org), eq(r.metricId, metric.id));
  const rows = async (after: EvolvedKey<ReadingKey, string> | undefined, take: number) => {
    // A cursor from when readings paged by id resumes after the reading it names, in the new order.
    const from = after === undefined ? undefined : 'key' in after ? after.key : await keyOf(ctx, metric.id, after.earlier);
    return ctx.db
      .select()
      .from(r)
      .where(and(where, from ? sql`(${r.at}, ${r.id}) > (${from.at}::timestamptz, ${from.id}::uuid)` : undefined))
      .orderBy(asc(r.at), asc(r.id))
      .limit(take);
  };
  const page = await readPage({ query, key: byMeasured, rows });
  return { items: page.rows.map(presentReading), nextCursor: page.nextCursor };
}

async function keyOf(ctx: Ctx, metricId: string, id: string): Promise<ReadingKey | undefined> {
  const [row] = await ctx.db
    .select({ at: metricReadings.at })
    .from(metricReadings)
    .where(and(eq(metricReadings.orgId, ctx.actor.org), eq(metricReadings.metricId, metricId), eq(metricReadings.id, id)));
  return row ? { at: row.at.toISOString(), id } : undefined;
}
