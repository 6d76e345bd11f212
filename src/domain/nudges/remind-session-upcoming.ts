import { and, eq } from 'drizzle-orm';
import { relationships, sessions } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';

/**
 * A scheduled reminder (src/jobs/): a planned session of an active relationship begins within the
 * programme's sessionReminderMinutes. Sent once per planned time (the job's key carries it): a
 * session moved to another time is reminded of again, a cancelled one is not.
 */
export async function remindSessionUpcoming(ctx: Ctx, input: { sessionId: string; plannedAt: Date }): Promise<{ sent: boolean }> {
  const org = ctx.actor.org;
  const [row] = await ctx.db
    .select({ session: sessions, relationshipStatus: relationships.status, version: relationships.version })
    .from(sessions)
    .innerJoin(relationships, eq(relationships.id, sessions.relationshipId))
    .where(and(eq(sessions.orgId, org), eq(relationships.orgId, org), eq(sessions.id, input.sessionId)));
  const session = row?.session;
  if (!session || row.relationshipStatus !== 'active' || session.status !== 'planned' || session.plannedAt?.getTime() !== input.plannedAt.getTime()) return { sent: false };
  if (session.plannedAt.getTime() <= ctx.clock().getTime()) return { sent: false };
  await recordEvent(ctx, 'session.upcoming', session.id, {
    relationshipId: session.relationshipId,
    sessionId: session.id,
    kind: session.kind,
    status: session.status,
    plannedAt: session.plannedAt.toISOString(),
    plannedMinutes: session.plannedMinutes ?? 60,
    agenda: session.agenda,
    version: row.version,
  });
  return { sent: true };
}
