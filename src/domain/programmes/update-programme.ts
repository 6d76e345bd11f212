import { and, eq } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import type { z } from 'zod';
import { compiled, param } from '../../db/compiled.ts';
import { programmes, relationships } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { conflict } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { UpdateProgrammeInput, type Programme } from '../schemas/programme.ts';
import { parseInput } from '../validate.ts';
import { loadProgrammeRow } from './load-programme.ts';
import { presentProgramme } from './present-programme.ts';
import { stageModelOf } from './stage-model-of.ts';

const anyRelationshipOf = compiled((db) =>
  db
    .select({ id: relationships.id })
    .from(relationships)
    .where(and(eq(relationships.orgId, param('org')), eq(relationships.programmeId, param('programmeId'))))
    .limit(1),
);

/**
 * Changes a programme's name, description and settings. Its stage model may change only while no
 * relationship has been opened in it: a relationship's stage and history are in the model's terms.
 */
export async function updateProgramme(ctx: Ctx, rawInput: { id: string; changes: z.input<typeof UpdateProgrammeInput> }): Promise<Programme> {
  authorize(ctx.actor, 'updateProgramme');
  const { stageModel: custom, stageModelKey, ...settings } = parseInput(UpdateProgrammeInput, rawInput.changes);
  const stageModel = custom || stageModelKey ? stageModelOf({ stageModel: custom, stageModelKey }) : undefined;
  return withAudit(ctx, { action: 'updateProgramme', subjectType: 'programme', subjectId: (programme) => programme.id }, async (tx) => {
    // Only a change of model waits for openings in progress (they hold the programme FOR KEY SHARE).
    const current = await loadProgrammeRow(tx, rawInput.id, stageModel ? { lock: 'update' } : {});
    const newModel = stageModel && !isDeepStrictEqual(stageModel, current.stageModel) ? stageModel : undefined;
    if (newModel && (await anyRelationshipOf(tx.db, { org: tx.actor.org, programmeId: current.id })).length > 0) {
      throw conflict('Relationships have been opened in this programme, so its stage model can no longer change.', { reason: 'PROGRAMME_HAS_RELATIONSHIPS' });
    }
    const [row] = await tx.db
      .update(programmes)
      .set({ ...settings, ...(newModel ? { stageModel: newModel } : {}), updatedAt: tx.clock() })
      .where(and(eq(programmes.orgId, tx.actor.org), eq(programmes.id, current.id)))
      .returning();
    return presentProgramme(row!);
  });
}
