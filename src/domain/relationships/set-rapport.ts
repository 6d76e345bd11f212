import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { RapportInput, type Relationship } from '../schemas/relationship.ts';
import { parseInput } from '../validate.ts';
import { changeRelationship, checkExpectedVersion, requireActive } from './change-relationship.ts';
import { presentRelationship } from './present-relationship.ts';
import { recordEvent } from '../events/record-event.ts';

const textOrNull = (value: string | null | undefined): string | null => value?.trim() || null;

/** Seed 001's rapport: the mentee's hopes and challenges, set or updated by either party. */
export async function setRapport(ctx: Ctx, rawInput: { relationshipId: string; expectedVersion?: number; rapport: z.input<typeof RapportInput> }): Promise<Relationship> {
  authorize(ctx.actor, 'setRapport');
  const rapport = parseInput(RapportInput, rawInput.rapport);
  return withAudit(ctx, { action: 'setRapport', subjectType: 'relationship', subjectId: (relationship) => relationship.id }, async (tx) => {
    const { row } = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    checkExpectedVersion(row, rawInput.expectedVersion);
    requireActive(row, 'change the hopes and challenges');
    const hopes = textOrNull(rapport.hopes);
    const challenges = textOrNull(rapport.challenges);
    const updated = await changeRelationship(tx, row, { hopes, challenges });
    await recordEvent(tx, 'relationship.rapport_set', row.id, { relationshipId: row.id, hopes, challenges, version: updated.version });
    return presentRelationship(updated);
  });
}
