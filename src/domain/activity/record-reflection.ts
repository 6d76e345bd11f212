import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { z } from 'zod';
import { reflections } from '../../db/schema.ts';
import { actingParty, loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import { requireActive, touchActivity } from '../relationships/change-relationship.ts';
import { RecordReflectionInput, type Reflection } from '../schemas/activity.ts';
import { parseInput } from '../validate.ts';
import { presentReflection } from './present-reflection.ts';

export async function recordReflection(
  ctx: Ctx,
  rawInput: { relationshipId: string; reflection: z.input<typeof RecordReflectionInput> },
): Promise<Reflection> {
  authorize(ctx.actor, 'recordReflection');
  const input = parseInput(RecordReflectionInput, rawInput.reflection);
  return withAudit(ctx, { action: 'recordReflection', subjectType: 'reflection', subjectId: (reflection) => reflection.id }, async (tx) => {
    const scoped = await loadRelationship(tx, rawInput.relationshipId, { lock: true });
    requireActive(scoped.row, 'record reflections');
    const party = actingParty(tx.actor, scoped, input.party, 'write reflections');
    const { party: _party, ...fields } = input;
    const [reflection] = await tx.db
      .insert(reflections)
      .values({
        ...fields,
        orgId: tx.actor.org,
        relationshipId: scoped.row.id,
        authorParty: party,
        authorId: party === 'mentor' ? scoped.row.mentorId : scoped.row.menteeId,
        round: scoped.row.round,
        createdAt: tx.clock(),
      })
      .returning();
    await recordEvent(tx, 'reflection.recorded', reflection!.id, { relationshipId: scoped.row.id, reflectionId: reflection!.id, kind: input.kind, party, round: scoped.row.round, version: scoped.row.version });
    await touchActivity(tx, scoped.row);
    return presentReflection(reflection!);
  });
}
