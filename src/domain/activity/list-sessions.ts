import type { z } from 'zod';
import { sessions } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { relationshipPage } from '../relationships/relationship-page.ts';
import type { Session } from '../schemas/activity.ts';
import type { Page, PageQuery } from '../schemas/common.ts';
import { presentSession } from './present-session.ts';

export async function listSessions(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Session>> {
  authorize(ctx.actor, 'listSessions');
  const { relationshipId, ...query } = input;
  return relationshipPage(ctx, relationshipId, query, { table: sessions, present: presentSession });
}
