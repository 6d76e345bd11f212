import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { actingParty, loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { AcceptFitInput, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion, requireActive } from './change-relationship.ts';
import { presentRelationship } from './present-relationship.ts';
import { recordEvent } from '../events/record-event.ts';

/** Mentor or mentee says the fit is right. Accepting twice is harmless: the first time stands. */
export async function acceptFit(
  ctx: Ctx,
  rawInput: { relationshipId: string; expectedVersion?: number; acceptance: z.input<typeof AcceptFitInput> },
): Promise<Relationship> {
  authorize(ctx.actor, 'acceptFit');
  const acceptance = parseInput(AcceptFitInput, rawInput.acceptance);
  return withAudit(ctx, { action: 'acceptFit', subjectType: 'relationship', subjectId: (relationship) => relationship.id }, async (tx) => {
    const scoped = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    checkExpectedVersion(scoped.row, rawInput.expectedVersion);
    requireActive(scoped.row, 'accept the fit');
    const party = actingParty(tx.actor, scoped, acceptance.party, 'accept the fit');
    const already = party === 'mentor' ? scoped.row.mentorAcceptedAt : scoped.row.menteeAcceptedAt;
    if (already) return presentRelationship(scoped.row);
    const now = tx.clock();
    const note = acceptance.note?.trim() || null;
    const updated = await changeRelationship(
      tx,
      scoped.row,
      party === 'mentor' ? { mentorAcceptedAt: now, mentorAcceptanceNote: note } : { menteeAcceptedAt: now, menteeAcceptanceNote: note },
    );
    await recordEvent(tx, 'relationship.accepted', updated.id, {
      relationshipId: updated.id,
      party,
      note,
      bothAccepted: Boolean(updated.mentorAcceptedAt && updated.menteeAcceptedAt),
      version: updated.version,
    });
    return presentRelationship(updated);
  });
}
