import { authorize } from '../permissions.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { reflections } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import type { Reflection } from '../schemas/activity.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';
import { presentReflection } from './present-reflection.ts';

export async function listReflections(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Reflection>> {
  authorize(ctx.actor, 'listReflections');
  const { relationshipId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const where = and(eq(reflections.orgId, ctx.actor.org), eq(reflections.relationshipId, relationshipId));
  return listPage(ctx.db.select().from(reflections).$dynamic(), { query, key: byId(reflections.id), where }, presentReflection);
}
