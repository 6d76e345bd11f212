import type { z } from 'zod';
import { matchingRuns } from '../../db/schema.ts';
import { SolveTimeoutError } from '../../solver/solve-assignment.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { DomainError, invalid } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { CreateMatchingRunInput, type MatchingRun } from '../schemas/matching.ts';
import { parseInput } from '../validate.ts';
import { fillMatchingRun, selectParticipants } from './fill-matching-run.ts';
import { loadMatchingWorld } from './load-matching-world.ts';
import { presentMatchingRun } from './present-matching-run.ts';

/** Runs with more mentee × mentor pairs than this are solved by the scheduler, not in the request (about 200 × 250). */
export const SYNC_PAIR_LIMIT = 50_000;

/**
 * A programme-wide matching run: the programme's unmatched mentees (or those named) assigned to
 * mentors for the greatest total score under capacities and exclusions, stored as a proposal to
 * accept in part or whole; nothing is opened yet. A small run is solved at once (completed); a
 * large one, or one asked for in the background, is left pending for the scheduler's matching_run job.
 */
export async function createMatchingRun(ctx: Ctx, rawInput: { programmeId: string } & z.input<typeof CreateMatchingRunInput>): Promise<MatchingRun> {
  authorize(ctx.actor, 'createMatchingRun');
  const { programmeId, ...request } = rawInput;
  const { background, ...input } = parseInput(CreateMatchingRunInput, request);
  return withAudit(ctx, { action: 'createMatchingRun', subjectType: 'matching_run', subjectId: (run) => run.id }, async (tx) => {
    const programme = await loadProgrammeRow(tx, programmeId);
    const world = await loadMatchingWorld(tx, programme.id);
    const unknown = (['menteeIds', 'mentorIds'] as const).flatMap((field) => (input[field] ?? []).flatMap((id, index) => (world.people.has(id) ? [] : [{ path: `${field}.${index}`, id }])));
    if (unknown.length) {
      throw invalid('Some people are not active people of this organisation.', unknown.slice(0, 20).map(({ path, id }) => ({ path, message: `no active person ${id}` })));
    }
    const { mentees, mentors } = selectParticipants(world, input);
    const [run] = await tx.db
      .insert(matchingRuns)
      .values({ orgId: tx.actor.org, programmeId: programme.id, status: 'pending', requestedBy: tx.actor.sub, request: input, createdAt: tx.clock() })
      .returning();
    if (background || mentees.length * mentors.length > SYNC_PAIR_LIMIT) return presentMatchingRun(run!, []);
    return fillMatchingRun(tx, run!, programme, world).catch((error: unknown) => {
      // The machine is too busy to solve even a small run in time: nothing is kept, ask again later or in the background.
      if (error instanceof SolveTimeoutError) throw new DomainError('UNAVAILABLE', `${error.message}; send the run again, or with background: true.`);
      throw error;
    });
  });
}
