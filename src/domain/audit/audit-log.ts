import { and, eq, gte, lte } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { compiled, param } from '../../db/compiled.ts';
import type { z } from 'zod';
import { auditEvents } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { byId, listPage } from '../pagination.ts';
import { authorize } from '../permissions.ts';
import { iso } from '../present.ts';
import { ListAuditEventsQuery, type AuditEvent } from '../schemas/audit.ts';
import type { Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';

const insertAudit = compiled((db) =>
  db.insert(auditEvents).values({
    orgId: param('orgId'),
    actor: param('actor'),
    clientId: param('clientId'),
    action: param('action'),
    subjectType: param('subjectType'),
    subjectId: param('subjectId'),
    at: param<Date>('at'),
    id: param('id'),
  }),
);

/** Records who did what to which object, in the transaction of the change itself. */
export async function recordAudit(ctx: Ctx, entry: { action: string; subjectType: string; subjectId: string | null }): Promise<void> {
  await insertAudit(ctx.db, { id: uuidv7(), orgId: ctx.actor.org, actor: ctx.actor.sub, clientId: ctx.actor.clientId ?? null, ...entry, at: ctx.clock() });
}

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
