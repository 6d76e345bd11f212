import { authorize } from '../permissions.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { sessions } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import type { Session } from '../schemas/activity.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';
import { presentSession } from './present-session.ts';

export async function listSessions(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Session>> {
  authorize(ctx.actor, 'listSessions');
  const { relationshipId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const where = and(eq(sessions.orgId, ctx.actor.org), eq(sessions.relationshipId, relationshipId));
  return listPage(ctx.db.select().from(sessions).$dynamic(), { query, key: byId(sessions.id), where }, presentSession);
}
