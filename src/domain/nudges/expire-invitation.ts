import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadProgrammeOfRelationship } from '../programmes/load-programme.ts';
import { transitionRelationship } from '../relationships/transition-relationship.ts';

const MS_DAY = 86_400_000;
export const EXPIRED_REASON = 'expired';

/**
 * A scheduled job (src/jobs/): an invitation (a relationship still in its first stage) that mentor
 * and mentee have not both accepted within the programme's invitationExpiryDays is declined with
 * reason `expired` (withdrawn, for a custom model without a way to declined), through the same
 * transition as a person's: its history row and events, and the mentor's capacity is free again.
 * Whatever changed meanwhile (accepted, moved on, the setting changed) is looked at again first.
 */
export async function expireInvitation(ctx: Ctx, input: { relationshipId: string }): Promise<{ expired: boolean }> {
  const [{ row }, programme] = await Promise.all([loadRelationship(ctx, input.relationshipId), loadProgrammeOfRelationship(ctx, input.relationshipId)]);
  if (!programme || programme.invitationExpiryDays === null) return { expired: false };
  const model = programme.stageModel;
  const stillOpen = row.status === 'active' && row.stage === model.start && !(row.mentorAcceptedAt && row.menteeAcceptedAt);
  const due = row.createdAt.getTime() + programme.invitationExpiryDays * MS_DAY <= ctx.clock().getTime();
  if (!stillOpen || !due) return { expired: false };
  const canDecline = model.transitions.some((t) => t.from === model.start && t.to === 'declined');
  await transitionRelationship(ctx, {
    relationshipId: row.id,
    expectedVersion: row.version,
    move: { to: canDecline ? 'declined' : 'withdrawn', reason: EXPIRED_REASON },
  });
  return { expired: true };
}
