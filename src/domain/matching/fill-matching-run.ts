import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { and, eq } from 'drizzle-orm';
import { matchingPairs, matchingRuns } from '../../db/schema.ts';
import type { Ctx } from '../context.ts';
import { recordEvent } from '../events/record-event.ts';
import type { ProgrammeRow } from '../programmes/present-programme.ts';
import type { MatchingRun } from '../schemas/matching.ts';
import { hasMenteeProfile, type MatchingWorld } from './load-matching-world.ts';
import { planMatching } from './plan-matching.ts';
import { presentMatchingRun, type MatchingRunRow } from './present-matching-run.ts';
import { matchingSettings } from './settings.ts';

// Small enough that embedded PGlite, which runs in this thread, holds the event loop only briefly per statement.
const INSERT_CHUNK = 100;

/** The mentees and mentors a run's request names (or the programme's defaults), among the active people of the world. */
export function selectParticipants(world: MatchingWorld, request: MatchingRunRow['request']) {
  const menteeRows = request.menteeIds
    ? [...new Set(request.menteeIds)].flatMap((id) => world.people.get(id) ?? [])
    : [...world.people.values()].filter(hasMenteeProfile);
  const chosenMentors = request.mentorIds ? new Set(request.mentorIds) : null;
  return {
    already: menteeRows.filter((row) => world.pairedMentees.has(row.id)),
    mentees: menteeRows.filter((row) => !world.pairedMentees.has(row.id)).map(world.profileOf),
    mentors: chosenMentors ? world.mentors.filter((mentor) => chosenMentors.has(mentor.id)) : world.mentors,
  };
}

/**
 * Solves a pending run (planMatching, HiGHS) and stores its proposal: the pairs with their
 * explanations, the objective against greedy, the mentees left unmatched and why; then
 * `matching_run.completed`. Run at once for a small programme, by the scheduler for a large one.
 */
export async function fillMatchingRun(tx: Ctx, run: MatchingRunRow, programme: ProgrammeRow, world: MatchingWorld): Promise<MatchingRun> {
  const defaults = matchingSettings(programme.matching);
  const settings = {
    ...defaults,
    minimumScore: run.request.minimumScore ?? defaults.minimumScore,
    candidatesPerMentee: run.request.candidatesPerMentee ?? defaults.candidatesPerMentee,
  };
  const { already, mentees, mentors } = selectParticipants(world, run.request);
  const plan = await planMatching(mentees, mentors, settings, world.history);
  const unmatched = [
    ...already.map((row) => ({ menteeId: row.id, reason: 'ALREADY_MATCHED' as const, message: 'already has an active relationship in this programme' })),
    ...plan.unmatched,
  ];
  const [completed] = await tx.db
    .update(matchingRuns)
    .set({ status: 'completed', objective: plan.objective, greedyObjective: plan.greedyObjective, menteeCount: mentees.length, mentorCount: mentors.length, unmatched, completedAt: tx.clock() })
    .where(and(eq(matchingRuns.orgId, tx.actor.org), eq(matchingRuns.id, run.id)))
    .returning();
  const pairs = [];
  for (let at = 0; at < plan.pairs.length; at += INSERT_CHUNK) {
    if (at > 0) await yieldToLoop();
    const chunk = plan.pairs.slice(at, at + INSERT_CHUNK).map((pair) => ({ ...pair, orgId: tx.actor.org, runId: run.id }));
    pairs.push(...(await tx.db.insert(matchingPairs).values(chunk).returning()));
  }
  await recordEvent(tx, 'matching_run.completed', run.id, {
    runId: run.id,
    programmeId: run.programmeId,
    objective: plan.objective,
    greedyObjective: plan.greedyObjective,
    pairs: plan.pairs.length,
    unmatched: unmatched.length,
  });
  return presentMatchingRun(completed!, pairs);
}
