import type { z } from 'zod';
import { reflections } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { relationshipPage } from '../relationships/relationship-page.ts';
import type { Reflection } from '../schemas/activity.ts';
import type { Page, PageQuery } from '../schemas/common.ts';
import { presentReflection } from './present-reflection.ts';

export async function listReflections(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Reflection>> {
  authorize(ctx.actor, 'listReflections');
  const { relationshipId, ...query } = input;
  return relationshipPage(ctx, relationshipId, query, { table: reflections, present: presentReflection });
}
