import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { people } from '../../db/schema.ts';
import { withTransaction, type Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { authorize } from '../permissions.ts';
import { loadProgrammeRow } from '../programmes/load-programme.ts';
import { SuggestionsQuery, type MentorSuggestions } from '../schemas/matching.ts';
import { isUuid } from '../uuid.ts';
import { parseInput } from '../validate.ts';
import { loadMatchingWorld } from './load-matching-world.ts';
import { rankMentors } from './rank-mentors.ts';
import { matchingSettings } from './settings.ts';

/** Ranked mentors for one mentee in a programme, each with the factors of its score, and the mentors excluded with why. */
export async function suggestMentors(
  ctx: Ctx,
  input: { programmeId: string; personId: string } & z.input<typeof SuggestionsQuery>,
): Promise<MentorSuggestions> {
  authorize(ctx.actor, 'suggestMentors');
  const { limit } = parseInput(SuggestionsQuery, { limit: input.limit });
  return withTransaction(ctx, async (tx) => {
    const programme = await loadProgrammeRow(tx, input.programmeId);
    if (!isUuid(input.personId)) throw notFound('person', input.personId);
    const [row] = await tx.db.select().from(people).where(and(eq(people.orgId, tx.actor.org), eq(people.id, input.personId)));
    if (!row) throw notFound('person', input.personId);
    const world = await loadMatchingWorld(tx, programme.id);
    const { ranked, excluded } = rankMentors(world.profileOf(row), world.mentors, matchingSettings(programme.matching), world.history);
    return {
      programmeId: programme.id,
      menteeId: row.id,
      suggestions: ranked.slice(0, limit).map(({ mentor, score, factors }) => ({ mentorId: mentor.id, mentorName: mentor.name, score, factors })),
      excluded: excluded
        .filter(({ exclusions }) => exclusions[0]?.code !== 'SAME_PERSON')
        .map(({ mentor, exclusions }) => ({ mentorId: mentor.id, mentorName: mentor.name, exclusions })),
    };
  });
}
