import { and, eq } from 'drizzle-orm';
import { sessions } from '../../db/schema.ts';
import { loadRelationship, type ScopedRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { SessionRefusal } from './session-states.ts';

export type SessionRow = typeof sessions.$inferSelect;
export interface SessionIds {
  relationshipId: string;
  sessionId: string;
}

/** A session of a relationship the caller may see (404 otherwise, as for the relationship), optionally locked with it. */
export async function loadScopedSession(ctx: Ctx, ids: SessionIds, options: { lock?: boolean } = {}): Promise<{ relationship: ScopedRelationship; session: SessionRow }> {
  const relationship = await loadRelationship(ctx, ids.relationshipId, options);
  const where = and(eq(sessions.orgId, ctx.actor.org), eq(sessions.relationshipId, relationship.row.id), eq(sessions.id, ids.sessionId));
  const [session] = options.lock ? await ctx.db.select().from(sessions).where(where).for('update') : await ctx.db.select().from(sessions).where(where);
  if (!session) throw notFound('session', ids.sessionId);
  return { relationship, session };
}

/** A refusal of session-states.ts as the domain error a transport answers. */
export function sessionError(refusal: SessionRefusal): DomainError {
  return refusal.kind === 'bad_input' ? invalid(refusal.message, [{ path: refusal.path, message: refusal.message }]) : new DomainError('CONFLICT', refusal.message, refusal.details);
}
