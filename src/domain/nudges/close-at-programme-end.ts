import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadProgrammeOfRelationship } from '../programmes/load-programme.ts';
import { transitionRelationship } from '../relationships/transition-relationship.ts';

export const PROGRAMME_ENDED_REASON = 'the programme ended';

/**
 * A scheduled job (src/jobs/): a relationship still active after its programme's end date, in a
 * programme whose onProgrammeEnd is `close`, is withdrawn with the reason "the programme ended",
 * through the same transition as a person's (history row, events). Looked at again first: a
 * programme whose end date or setting changed meanwhile leaves it.
 */
export async function closeAtProgrammeEnd(ctx: Ctx, input: { relationshipId: string; endsOn: string }): Promise<{ closed: boolean }> {
  const [{ row }, programme] = await Promise.all([loadRelationship(ctx, input.relationshipId), loadProgrammeOfRelationship(ctx, input.relationshipId)]);
  const today = ctx.clock().toISOString().slice(0, 10);
  if (!programme || programme.onProgrammeEnd !== 'close' || programme.endsOn !== input.endsOn || programme.endsOn >= today || row.status !== 'active') return { closed: false };
  await transitionRelationship(ctx, { relationshipId: row.id, expectedVersion: row.version, move: { to: 'withdrawn', reason: PROGRAMME_ENDED_REASON } });
  return { closed: true };
}
