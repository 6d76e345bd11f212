import type { z } from 'zod';
import { stageHistory } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { Page, PageQuery } from '../schemas/common.ts';
import type { HistoryEntry } from '../schemas/relationship.ts';
import { presentHistory } from './present-history.ts';
import { relationshipPage } from './relationship-page.ts';

export async function listHistory(ctx: Ctx, input: { id: string } & z.input<typeof PageQuery>): Promise<Page<HistoryEntry>> {
  authorize(ctx.actor, 'listTransitions');
  const { id, ...query } = input;
  return relationshipPage(ctx, id, query, { table: stageHistory, present: presentHistory });
}
