import { authorize } from '../permissions.ts';
import { withAudit } from '../audit/record-audit.ts';
import { programmes } from '../../db/schema.ts';

import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';
import { ensureOrganisation } from '../organisations.ts';
import { CreateProgrammeInput, type Programme } from '../schemas/programme.ts';
import { DEFAULT_MODEL_KEY, getBuiltInModel, validateStageModel } from '../stage-models/index.ts';
import { parseInput } from '../validate.ts';
import { presentProgramme } from './present-programme.ts';

export async function createProgramme(ctx: Ctx, rawInput: CreateProgrammeInput): Promise<Programme> {
  authorize(ctx.actor, 'createProgramme');
  const { stageModel: custom, stageModelKey, ...settings } = parseInput(CreateProgrammeInput, rawInput);

  let stageModel;
  if (custom) {
    const checked = validateStageModel(custom);
    if (!checked.ok) {
      throw invalid(
        `The stage model is not sound: ${checked.problems.map((p) => p.message).join('; ')}`,
        checked.problems.map((p) => ({ path: `stageModel${p.path ? `.${p.path}` : ''}`, message: `${p.code}: ${p.message}` })),
      );
    }
    stageModel = checked.model;
  } else {
    const key = stageModelKey ?? DEFAULT_MODEL_KEY;
    stageModel = getBuiltInModel(key);
    if (!stageModel) throw invalid(`No built-in stage model "${key}".`, [{ path: 'stageModelKey', message: 'must be classic-4 or five-stage' }]);
  }

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
