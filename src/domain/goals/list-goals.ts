import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { goals } from '../../db/schema.ts';
import { authorize } from '../permissions.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, readPage, selectAfter } from '../pagination.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import type { Goal } from '../schemas/goal.ts';
import { parseInput } from '../validate.ts';
import { loadGoals } from './load-goals.ts';

/** A relationship's goals, oldest first, a page at a time: the page's ids, then those goals with their parts. */
export async function listGoals(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Goal>> {
  authorize(ctx.actor, 'listGoals');
  const { relationshipId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const key = byId<{ id: string }>(goals.id);
  const where = and(eq(goals.orgId, ctx.actor.org), eq(goals.relationshipId, relationshipId));
  const { rows, nextCursor } = await readPage({ query, key, rows: selectAfter(ctx.db.select({ id: goals.id }).from(goals).$dynamic(), key, where) });
  return { items: await loadGoals(ctx, { goalIds: rows.map((row) => row.id) }), nextCursor };
}
