import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { reflections, sessions } from '../../db/schema.ts';
import { actingParty, loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { byId, listPage } from '../pagination.ts';
import { iso } from '../present.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { LogSessionInput, RecordReflectionInput, type Reflection, type Session } from '../schemas/activity.ts';
import { PageQuery, type Page } from '../schemas/common.ts';
import { parseInput } from '../validate.ts';

export async function logSession(ctx: Ctx, rawInput: { relationshipId: string; session: z.input<typeof LogSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'logSession');
  const input = parseInput(LogSessionInput, rawInput.session);
  return withAudit(ctx, { action: 'logSession', subjectType: 'session', subjectId: (session) => session.id }, async (tx) => {
    const { row } = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    requireActive(row, 'log sessions');
    const [session] = await tx.db
      .insert(sessions)
      .values({ ...input, heldAt: new Date(input.heldAt), orgId: tx.actor.org, relationshipId: row.id, loggedBy: tx.actor.sub, createdAt: tx.clock() })
      .returning();
    await recordEvent(tx, 'session.logged', session!.id, { relationshipId: row.id, sessionId: session!.id, kind: input.kind, heldAt: input.heldAt, minutes: input.minutes });
    await touchActivity(tx, row);
    return presentSession(session!);
  });
}

export async function recordReflection(
  ctx: Ctx,
  rawInput: { relationshipId: string; reflection: z.input<typeof RecordReflectionInput> },
): Promise<Reflection> {
  authorize(ctx.actor, 'recordReflection');
  const input = parseInput(RecordReflectionInput, rawInput.reflection);
  return withAudit(ctx, { action: 'recordReflection', subjectType: 'reflection', subjectId: (reflection) => reflection.id }, async (tx) => {
    const scoped = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    requireActive(scoped.row, 'record reflections');
    const party = actingParty(tx.actor, scoped, input.party, 'write reflections');
    const { party: _party, ...fields } = input;
    const [reflection] = await tx.db
      .insert(reflections)
      .values({
        ...fields,
        orgId: tx.actor.org,
        relationshipId: scoped.row.id,
        authorParty: party,
        authorId: party === 'mentor' ? scoped.row.mentorId : scoped.row.menteeId,
        createdAt: tx.clock(),
      })
      .returning();
    await recordEvent(tx, 'reflection.recorded', reflection!.id, { relationshipId: scoped.row.id, reflectionId: reflection!.id, kind: input.kind, party });
    await touchActivity(tx, scoped.row);
    return presentReflection(reflection!);
  });
}

export async function listSessions(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Session>> {
  authorize(ctx.actor, 'listSessions');
  const { relationshipId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const where = and(eq(sessions.orgId, ctx.actor.org), eq(sessions.relationshipId, relationshipId));
  return listPage(ctx.db.select().from(sessions).$dynamic(), { query, key: byId(sessions.id), where }, presentSession);
}

export async function listReflections(ctx: Ctx, input: { relationshipId: string } & z.input<typeof PageQuery>): Promise<Page<Reflection>> {
  authorize(ctx.actor, 'listReflections');
  const { relationshipId, ...rawQuery } = input;
  const query = parseInput(PageQuery, rawQuery);
  await loadRelationship(ctx, relationshipId);
  const where = and(eq(reflections.orgId, ctx.actor.org), eq(reflections.relationshipId, relationshipId));
  return listPage(ctx.db.select().from(reflections).$dynamic(), { query, key: byId(reflections.id), where }, presentReflection);
}

export const presentSession = (row: typeof sessions.$inferSelect): Session => ({
  id: row.id,
  relationshipId: row.relationshipId,
  kind: row.kind,
  heldAt: iso(row.heldAt),
  minutes: row.minutes,
  notes: row.notes,
  loggedBy: row.loggedBy,
  createdAt: iso(row.createdAt),
});

export const presentReflection = (row: typeof reflections.$inferSelect): Reflection => ({
  id: row.id,
  relationshipId: row.relationshipId,
  authorParty: row.authorParty,
  authorId: row.authorId,
  kind: row.kind,
  text: row.text,
  whatWorked: row.whatWorked,
  whatDidNot: row.whatDidNot,
  howBenefited: row.howBenefited,
  createdAt: iso(row.createdAt),
});
