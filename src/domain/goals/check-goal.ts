import { authorize } from '../permissions.ts';
import type { z } from 'zod';
import { loadRelationship } from '../access.ts';
import type { Ctx } from '../context.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { SmartCheckInput } from '../schemas/goal.ts';
import type { SmartReport } from '../smart/check-smart.ts';
import { checkSmart } from '../smart/check-smart.ts';
import { parseInput } from '../validate.ts';
import { draftOf, smartContext } from './smart-for-goal.ts';

/** Checks a goal draft without saving it, against a relationship's (or a programme's) context. */
export async function checkGoalDraft(ctx: Ctx, rawInput: z.input<typeof SmartCheckInput>): Promise<SmartReport> {
  authorize(ctx.actor, 'checkSmart');
  const input = parseInput(SmartCheckInput, rawInput);
  let programmeId = input.programmeId;
  let aspiration = input.aspiration ?? null;
  if (input.relationshipId) {
    const { row } = await loadRelationship(ctx, input.relationshipId);
    programmeId = row.programmeId;
    aspiration = input.aspiration ?? row.aspiration;
  }
  const programme = programmeId ? await loadProgrammeRow(ctx, programmeId) : null;
  return checkSmart(draftOf(input.goal), smartContext(ctx, programme, aspiration));
}
