import type { z } from 'zod';
import { matchingPairs, matchingRuns } from '../../db/schema.ts';
import { withAudit } from '../audit/record-audit.ts';
import type { Ctx } from '../context.ts';
import { invalid } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { CreateMatchingRunInput, type MatchingRun } from '../schemas/matching.ts';
import { parseInput } from '../validate.ts';
import { hasMenteeProfile, loadMatchingWorld } from './load-matching-world.ts';
import { planMatching } from './plan-matching.ts';
import { presentMatchingRun } from './present-matching-run.ts';
import { matchingSettings } from './settings.ts';

const INSERT_CHUNK = 1000;

/**
 * A programme-wide matching run: the programme's unmatched mentees (or those named) assigned to
 * mentors for the greatest total score under capacities and exclusions (planMatching, HiGHS),
 * stored as a proposal to accept in part or whole. Nothing is opened yet.
 */
export async function createMatchingRun(ctx: Ctx, rawInput: { programmeId: string } & z.input<typeof CreateMatchingRunInput>): Promise<MatchingRun> {
  authorize(ctx.actor, 'createMatchingRun');
  const { programmeId, ...request } = rawInput;
  const input = parseInput(CreateMatchingRunInput, request);
  return withAudit(ctx, { action: 'createMatchingRun', subjectType: 'matching_run', subjectId: (run) => run.id }, async (tx) => {
    const programme = await loadProgrammeRow(tx, programmeId);
    const world = await loadMatchingWorld(tx, programme.id);
    const defaults = matchingSettings(programme.matching);
    const settings = { ...defaults, minimumScore: input.minimumScore ?? defaults.minimumScore, candidatesPerMentee: input.candidatesPerMentee ?? defaults.candidatesPerMentee };

    const unknown = [...(input.menteeIds ?? []), ...(input.mentorIds ?? [])].filter((id) => !world.people.has(id));
    if (unknown.length) {
      throw invalid('Some people are not active people of this organisation.', unknown.slice(0, 20).map((id) => ({ path: 'menteeIds', message: `no active person ${id}` })));
    }
    const menteeRows = input.menteeIds ? [...new Set(input.menteeIds)].map((id) => world.people.get(id)!) : [...world.people.values()].filter(hasMenteeProfile);
    const already = menteeRows.filter((row) => world.pairedMentees.has(row.id));
    const mentees = menteeRows.filter((row) => !world.pairedMentees.has(row.id)).map(world.profileOf);
    const chosenMentors = input.mentorIds ? new Set(input.mentorIds) : null;
    const mentors = chosenMentors ? world.mentors.filter((mentor) => chosenMentors.has(mentor.id)) : world.mentors;

    const plan = await planMatching(mentees, mentors, settings, world.history);
    const now = tx.clock();
    const [run] = await tx.db
      .insert(matchingRuns)
      .values({
        orgId: tx.actor.org,
        programmeId: programme.id,
        status: 'completed',
        requestedBy: tx.actor.sub,
        request: input,
        objective: plan.objective,
        greedyObjective: plan.greedyObjective,
        menteeCount: mentees.length,
        mentorCount: mentors.length,
        unmatched: [
          ...already.map((row) => ({ menteeId: row.id, reason: 'ALREADY_MATCHED' as const, message: 'already has an active relationship in this programme' })),
          ...plan.unmatched,
        ],
        createdAt: now,
        completedAt: now,
      })
      .returning();
    const pairs = [];
    for (let at = 0; at < plan.pairs.length; at += INSERT_CHUNK) {
      const chunk = plan.pairs.slice(at, at + INSERT_CHUNK).map((pair) => ({ ...pair, orgId: tx.actor.org, runId: run!.id }));
      pairs.push(...(await tx.db.insert(matchingPairs).values(chunk).returning()));
    }
    return presentMatchingRun(run!, pairs);
  });
}
