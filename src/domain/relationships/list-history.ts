import { authorize } from '../permissions.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { stageHistory } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import type { HistoryEntry } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { presentHistory } from './present-history.ts';

export async function listHistory(ctx: Ctx, input: { id: string } & z.input<typeof PageQuery>): Promise<Page<HistoryEntry>> {
  authorize(ctx.actor, 'listTransitions');
  const { id, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, id);
  const where = and(eq(stageHistory.orgId, ctx.actor.org), eq(stageHistory.relationshipId, id));
  return listPage(ctx.db.select().from(stageHistory).$dynamic(), { query, key: byId(stageHistory.id), where }, presentHistory);
}
