import { and, eq } from 'drizzle-orm';
import { sessions } from '../../db/schema.ts';
import type { EventType } from '../../vocabulary.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { recordEvent } from '../events/record-event.ts';
import { presentSession } from '../activity/present-session.ts';
import { noteSessionHeld } from '../nudges/note-session-held.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import type { Session } from '../schemas/activity.ts';
import { changeSession, type SessionAction } from './session-states.ts';
import { loadScopedSession, sessionError, type SessionIds } from './scoped-session.ts';

const EVENTS: Record<SessionAction, EventType> = { hold: 'session.held', cancel: 'session.cancelled', miss: 'session.missed' };

/**
 * Carries out one move of a planned session (the shared body of hold, cancel and mark missed):
 * the session is locked with its relationship, the move is decided by session-states.ts, and the
 * UPDATE only matches a session still planned, so of two racing moves exactly one succeeds.
 */
export async function applySessionChange(
  tx: Ctx,
  ids: SessionIds,
  action: SessionAction,
  given: { heldAt?: Date; minutes?: number; notes?: string | null; reason?: string | null },
): Promise<Session> {
  const { relationship, session } = await loadScopedSession(tx, ids, { lock: true });
  requireActive(relationship.row, 'change its sessions');
  const now = tx.clock();
  const change = changeSession(session, action, now, given.heldAt);
  if (!change.ok) throw sessionError(change.refusal);
  const held = action === 'hold' ? { heldAt: change.heldAt!, minutes: given.minutes ?? session.plannedMinutes ?? 60, ...(given.notes !== undefined ? { notes: given.notes } : {}) } : {};
  const closed = action === 'hold' ? {} : { reason: given.reason ?? null };
  const [updated] = await tx.db
    .update(sessions)
    .set({ status: change.to, ...held, ...closed, statusChangedAt: now, statusChangedBy: tx.actor.sub })
    .where(and(eq(sessions.orgId, tx.actor.org), eq(sessions.id, session.id), eq(sessions.status, 'planned')))
    .returning();
  if (!updated) throw conflict('The session changed while this request ran; read it again.', {});
  const facts = { relationshipId: relationship.row.id, sessionId: updated.id, kind: updated.kind, status: updated.status, version: relationship.row.version };
  await Promise.all([
    recordEvent(tx, EVENTS[action], updated.id, action === 'hold' ? { ...facts, heldAt: updated.heldAt!.toISOString(), minutes: updated.minutes } : { ...facts, reason: updated.reason }),
    touchActivity(tx, relationship.row),
    action === 'hold' ? noteSessionHeld(tx, relationship.row, updated.heldAt!) : Promise.resolve(),
  ]);
  return presentSession(updated);
}
