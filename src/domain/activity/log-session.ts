import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { sessions } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { noteSessionHeld } from '../nudges/note-session-held.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { LogSessionInput, type Session } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { presentSession } from './present-session.ts';
import { heldInFuture } from '../sessions/session-states.ts';
import { sessionError } from '../sessions/scoped-session.ts';

export async function logSession(ctx: Ctx, rawInput: { relationshipId: string; session: z.input<typeof LogSessionInput> }): Promise<Session> {
  authorize(ctx.actor, 'logSession');
  const input = parseInput(LogSessionInput, rawInput.session);
  const future = heldInFuture(new Date(input.heldAt), ctx.clock());
  if (future) throw sessionError(future);
  return withAudit(ctx, { action: 'logSession', subjectType: 'session', subjectId: (session) => session.id }, async (tx) => {
    const { row } = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    requireActive(row, 'log sessions');
    const [session] = await tx.db
      .insert(sessions)
      .values({ ...input, status: 'held', heldAt: new Date(input.heldAt), orgId: tx.actor.org, relationshipId: row.id, loggedBy: tx.actor.sub, createdAt: tx.clock() })
      .returning();
    await recordEvent(tx, 'session.logged', session!.id, {
      relationshipId: row.id,
      sessionId: session!.id,
      kind: input.kind,
      status: 'held',
      heldAt: input.heldAt,
      minutes: input.minutes,
      version: row.version,
    });
    await Promise.all([touchActivity(tx, row), noteSessionHeld(tx, row, session!.heldAt!)]);
    return presentSession(session!);
  });
}
