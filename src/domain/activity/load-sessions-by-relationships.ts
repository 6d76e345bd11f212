import { sessions } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import { readByRelationships } from '../relationships/visibility.ts';
import type { Session } from '../schemas/activity.ts';
import { presentSession } from './present-session.ts';

const sessionsOf = readByRelationships(sessions, sessions.relationshipId);

/** The sessions of many relationships at once, of those the caller may see (GraphQL's loaders). */
export async function loadSessionsByRelationships(ctx: Ctx, input: { relationshipIds: string[] }): Promise<Session[]> {
  authorize(ctx.actor, 'listSessions');
  return (await sessionsOf(ctx, input.relationshipIds)).map(presentSession);
}
