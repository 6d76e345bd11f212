import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { programmes } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { ensureOrganisation } from '../organisations.ts';
import { CreateProgrammeInput, type Programme } from '../schemas/programme.ts';
import { parseInput } from '../validate.ts';
import { presentProgramme } from './present-programme.ts';
import { stageModelOf } from './stage-model-of.ts';

export async function createProgramme(ctx: Ctx, rawInput: CreateProgrammeInput): Promise<Programme> {
  authorize(ctx.actor, 'createProgramme');
  const { stageModel: custom, stageModelKey, ...settings } = parseInput(CreateProgrammeInput, rawInput);
  const stageModel = stageModelOf({ stageModel: custom, stageModelKey });

  return withAudit(ctx, { action: 'createProgramme', subjectType: 'programme', subjectId: (programme) => programme.id }, async (tx) => {
    await ensureOrganisation(tx);
    const now = tx.clock();
    const [row] = await tx.db
      .insert(programmes)
      .values({ ...settings, orgId: tx.actor.org, stageModel, createdAt: now, updatedAt: now })
      .returning();
    return presentProgramme(row!);
  });
}
