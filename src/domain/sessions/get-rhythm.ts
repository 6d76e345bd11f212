import { and, eq } from 'drizzle-orm';
import { sessions } from '../../db/schema.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { authorize } from '../permissions.ts';
import type { RhythmStatus } from '../schemas/rhythm.ts';
import { rhythmStatusOf } from './rhythm-status.ts';

/** The agreed rhythm of a relationship: the next session it expects, and sessions held against it. */
export async function getRhythm(ctx: Ctx, input: { relationshipId: string }): Promise<RhythmStatus> {
  authorize(ctx.actor, 'getRhythm');
  const { row } = await loadRelationship(ctx, input.relationshipId);
  const held = await ctx.db
    .select({ heldAt: sessions.heldAt })
    .from(sessions)
    .where(and(eq(sessions.orgId, ctx.actor.org), eq(sessions.relationshipId, row.id), eq(sessions.status, 'held')));
  return rhythmStatusOf(row, held.flatMap((s) => (s.heldAt ? [s.heldAt] : [])), ctx.clock());
}
