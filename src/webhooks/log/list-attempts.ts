import { and, eq, gte, lt, type SQL } from 'drizzle-orm';
import { webhookAttempts } from '../../db/schema.ts';
import type { Ctx } from '../../domain/context.ts';
import { byId, listPage } from '../../domain/pagination.ts';
import type { Page } from '../../domain/schemas/common.ts';
import { parseInput } from '../../domain/validate.ts';
import { ListAttemptsQuery, type WebhookAttempt } from '../schemas/attempt.ts';
import { presentAttempt } from './present-attempt.ts';

/** The delivery log, filtered by status, event type and time, within `scope` (one endpoint or one event): oldest first. */
export async function listAttempts(ctx: Ctx, scope: SQL, rawQuery: ListAttemptsQuery): Promise<Page<WebhookAttempt>> {
  const query = parseInput(ListAttemptsQuery, rawQuery);
  const a = webhookAttempts;
  const where = and(
    eq(a.orgId, ctx.actor.org),
    scope,
    query.status ? eq(a.status, query.status) : undefined,
    query.eventType ? eq(a.eventType, query.eventType) : undefined,
    query.since ? gte(a.at, new Date(query.since)) : undefined,
    query.until ? lt(a.at, new Date(query.until)) : undefined,
  );
  return listPage(ctx.db.select().from(a).$dynamic(), { query, key: byId(a.id), where }, presentAttempt);
}
