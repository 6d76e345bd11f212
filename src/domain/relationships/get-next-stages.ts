import { authorize } from '../permissions.ts';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import type { NextStages } from '../schemas/relationship.ts';
import { nextStages as planNextStages } from '../stage-models/index.ts';
import { loadGuardSnapshot } from './guard-snapshot.ts';

/** Every move from here, allowed or not, with what still blocks it: the "what is missing" view. */
export async function getNextStages(ctx: Ctx, input: { id: string }): Promise<NextStages> {
  authorize(ctx.actor, 'getNextStages');
  const { row } = await loadRelationship(ctx, input.id);
  const programme = await loadProgrammeRow(ctx, row.programmeId);
  const snapshot = await loadGuardSnapshot(ctx, row, programme);
  return { stage: row.stage, status: row.status, version: row.version, moves: planNextStages(programme.stageModel, row, snapshot) };
}
