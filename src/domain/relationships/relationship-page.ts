import { and, eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';

type RelationshipPart = PgTable & { orgId: PgColumn; relationshipId: PgColumn; id: PgColumn };

/**
 * A page of what belongs to one relationship (its sessions, reflections, history), oldest first,
 * once the caller may see the relationship: a foreign or unseen one is 404, as when read alone.
 */
export async function relationshipPage<T extends RelationshipPart, Item>(
  ctx: Ctx,
  relationshipId: string,
  rawQuery: z.input<typeof PageQuery>,
  part: { table: T; present: (row: T['$inferSelect']) => Item },
): Promise<Page<Item>> {
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const { table, present } = part;
  const where = and(eq(table.orgId, ctx.actor.org), eq(table.relationshipId, relationshipId));
  return listPage(ctx.db.select().from(table as PgTable).$dynamic(), { query, key: byId(table.id), where }, (row) => present(row as T['$inferSelect']));
}
