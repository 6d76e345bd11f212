import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { actingParty, loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { AcceptFitInput, Agreement, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion, requireActive } from './change-relationship.ts';
import { presentRelationship } from './present-relationship.ts';

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
    const updated = await changeRelationship(tx, scoped.row, party === 'mentor' ? { mentorAcceptedAt: now } : { menteeAcceptedAt: now });
    return presentRelationship(updated);
  });
}

/** The boundaries: contact channel and hours, confidentiality, what the mentor can and cannot help with. */
export async function setAgreement(
  ctx: Ctx,
  rawInput: { relationshipId: string; expectedVersion?: number; agreement: z.input<typeof Agreement> },
): Promise<Relationship> {
  authorize(ctx.actor, 'setAgreement');
  const agreement = parseInput(Agreement, rawInput.agreement);
  return withAudit(ctx, { action: 'setAgreement', subjectType: 'relationship', subjectId: (relationship) => relationship.id }, async (tx) => {
    const { row } = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    checkExpectedVersion(row, rawInput.expectedVersion);
    requireActive(row, 'change the agreement');
    return presentRelationship(await changeRelationship(tx, row, { agreement }));
  });
}
