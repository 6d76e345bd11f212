import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { Agreement, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion, requireActive } from './change-relationship.ts';
import { presentRelationship } from './present-relationship.ts';
import { recordEvent } from '../events/record-event.ts';
import { upcomingOccurrences } from '../sessions/rhythm.ts';

/** The boundaries: contact channel and hours, confidentiality, what the mentor can and cannot help with; and the meeting rhythm. */
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
    // A new rhythm is checked for quiet at once, unless the pair is quiet already (a held session ends that).
    const updated = await changeRelationship(tx, row, { agreement, ...(row.quietSince ? {} : { quietCheckAt: tx.clock() }) });
    const nextExpectedAt = agreement.rhythm ? (upcomingOccurrences(agreement.rhythm, tx.clock().getTime(), 1)[0]?.toISOString() ?? null) : null;
    await recordEvent(tx, 'relationship.agreement_set', row.id, { relationshipId: row.id, rhythm: agreement.rhythm ?? null, nextExpectedAt, version: updated.version });
    return presentRelationship(updated);
  });
}
