import { z } from 'zod';
import { MATCHING_EXCLUSIONS, MATCHING_FACTORS, MATCHING_RUN_STATUSES, UNMATCHED_REASONS } from '../../vocabulary.ts';
import { Id, Timestamp } from './common.ts';
import { Relationship } from './relationship.ts';

const Weight = z.number().min(0).max(100);

export const MatchingSettings = z
  .strictObject({
    weights: z
      .strictObject(Object.fromEntries(MATCHING_FACTORS.map((factor) => [factor, Weight.optional()])) as Record<(typeof MATCHING_FACTORS)[number], z.ZodOptional<typeof Weight>>)
      .optional()
      .meta({ description: 'Weight of each factor (0 leaves it out); defaults: skills 3, goalFocus 1, workingHours 2, grade 1, experience 1, preference 2, location 0.5.' }),
    excludeSameDepartment: z.boolean().optional().meta({ description: 'Never pair two people of the same department (default false).' }),
    minimumScore: z.number().min(0).max(1).optional().meta({ description: 'A run proposes no pair below this score (default 0).' }),
    candidatesPerMentee: z.number().int().min(1).max(500).optional().meta({ description: "A run considers each mentee's best k mentors (default 50)." }),
  })
  .meta({ id: 'MatchingSettings', description: "How the programme's matching weighs and excludes pairs." });

export const MatchingFactorResult = z
  .object({
    factor: z.enum(MATCHING_FACTORS),
    weight: z.number(),
    value: z.number().meta({ description: 'The factor on its own, 0 to 1.' }),
    contribution: z.number().meta({ description: 'weight × value / sum of weights: its share of the score.' }),
    explanation: z.string(),
  })
  .meta({ id: 'MatchingFactor' });

export const MatchingExclusion = z.object({ code: z.enum(MATCHING_EXCLUSIONS), message: z.string() }).meta({ id: 'MatchingExclusion' });

export const MentorSuggestion = z
  .object({ mentorId: Id, mentorName: z.string(), score: z.number().min(0).max(1), factors: z.array(MatchingFactorResult) })
  .meta({ id: 'MentorSuggestion' });

export const MentorSuggestions = z
  .object({
    programmeId: Id,
    menteeId: Id,
    suggestions: z.array(MentorSuggestion).meta({ description: 'Best first.' }),
    excluded: z.array(z.object({ mentorId: Id, mentorName: z.string(), exclusions: z.array(MatchingExclusion) })).meta({ description: 'Mentors kept out, and why.' }),
  })
  .meta({ id: 'MentorSuggestions' });
export type MentorSuggestions = z.infer<typeof MentorSuggestions>;

export const SuggestionsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(10).meta({ description: 'Suggestions to return, 1–100.' }) });

export const CreateMatchingRunInput = z
  .strictObject({
    menteeIds: z.array(Id).max(10_000).optional().meta({ description: "Mentees to match (default: the programme's unmatched mentees: active people with an aspiration or goal focus and no active relationship here as mentee)." }),
    mentorIds: z.array(Id).max(10_000).optional().meta({ description: 'Mentors to consider (default: every active person with a mentor profile).' }),
    minimumScore: z.number().min(0).max(1).optional().meta({ description: "No pair below this score (default: the programme's)." }),
    candidatesPerMentee: z.number().int().min(1).max(500).optional().meta({ description: "Each mentee's best k mentors go into the model (default: the programme's, 50)." }),
    background: z
      .boolean()
      .optional()
      .meta({ description: 'Solve in the background even when small. Large runs (over 50,000 mentee × mentor pairs) always are: 202, status pending, then `matching_run.completed` (or `matching_run.failed`).' }),
  })
  .meta({ id: 'CreateMatchingRun' });
export type CreateMatchingRunInput = z.infer<typeof CreateMatchingRunInput>;

export const MatchingPair = z
  .object({
    id: Id,
    menteeId: Id,
    mentorId: Id,
    score: z.number(),
    factors: z.array(MatchingFactorResult),
    relationshipId: Id.nullable().meta({ description: 'The relationship opened when the pair was accepted.' }),
    acceptedAt: Timestamp.nullable(),
  })
  .meta({ id: 'MatchingPair' });

export const MatchingRun = z
  .object({
    id: Id,
    programmeId: Id,
    status: z.enum(MATCHING_RUN_STATUSES),
    objective: z.number().nullable().meta({ description: 'The total score of the proposed pairs (the optimum found by HiGHS).' }),
    greedyObjective: z.number().nullable().meta({ description: 'What a greedy assignment (best pairs first) would total, for comparison.' }),
    menteeCount: z.number().int().nullable(),
    mentorCount: z.number().int().nullable(),
    pairs: z.array(MatchingPair),
    unmatched: z.array(z.object({ menteeId: Id, reason: z.enum(UNMATCHED_REASONS), message: z.string() })),
    failure: z.string().nullable(),
    createdAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .meta({ id: 'MatchingRun' });
export type MatchingRun = z.infer<typeof MatchingRun>;

export const AcceptMatchingPairsInput = z
  .strictObject({ pairIds: z.array(Id).min(1).max(10_000).optional().meta({ description: 'The pairs to accept (default: every pair not yet accepted).' }) })
  .meta({ id: 'AcceptMatchingPairs' });

export const MatchingAcceptance = z
  .object({ runId: Id, relationships: z.array(Relationship).meta({ description: 'The relationships opened, one per accepted pair.' }) })
  .meta({ id: 'MatchingAcceptance' });
export type MatchingAcceptance = z.infer<typeof MatchingAcceptance>;
