import { and, eq, gte, lte } from 'drizzle-orm';
import type { z } from 'zod';
import { auditEvents } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import { ListAuditEventsQuery, type AuditEvent } from '../schemas/audit.ts';
import type { Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';

export async function listAuditEvents(ctx: Ctx, rawQuery: z.input<typeof ListAuditEventsQuery>): Promise<Page<AuditEvent>> {
  authorize(ctx.actor, 'listAuditEvents');
  const query = parseInput(ListAuditEventsQuery, rawQuery);
  const where = and(
    eq(auditEvents.orgId, ctx.actor.org),
    query.actor ? eq(auditEvents.actor, query.actor) : undefined,
    query.action ? eq(auditEvents.action, query.action) : undefined,
    query.subjectId ? eq(auditEvents.subjectId, query.subjectId) : undefined,
    query.since ? gte(auditEvents.at, new Date(query.since)) : undefined,
    query.until ? lte(auditEvents.at, new Date(query.until)) : undefined,
  );
  return listPage(ctx.db.select().from(auditEvents).$dynamic(), { query, key: byId(auditEvents.id), where }, (row) => ({
    id: row.id,
    actor: row.actor,
    clientId: row.clientId,
    action: row.action,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    at: iso(row.at),
  }));
}
