import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { presentSession } from '../activity/present-session.ts';
import type { Session } from '../schemas/activity.ts';
import { loadScopedSession, type SessionIds } from './scoped-session.ts';

export async function getSession(ctx: Ctx, input: SessionIds): Promise<Session> {
  authorize(ctx.actor, 'getSession');
  return presentSession((await loadScopedSession(ctx, input)).session);
}
