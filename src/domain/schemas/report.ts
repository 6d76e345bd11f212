import { z } from 'zod';
import { RELATIONSHIP_STATUSES } from '../../vocabulary.ts';
import { Id, Timestamp } from './common.ts';

export const ReportQuery = z.strictObject({
  inactiveDays: z.coerce.number().int().min(1).max(3650).default(30).meta({ description: 'Active relationships with no activity for this many days are listed.' }),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export const ProgrammeReport = z
  .object({
    programmeId: Id,
    generatedAt: Timestamp,
    relationships: z.object({
      total: z.number().int(),
      byStage: z.array(z.object({ stage: z.string(), status: z.enum(RELATIONSHIP_STATUSES), count: z.number().int() })),
    }),
    medianDaysInStage: z.array(z.object({ stage: z.string(), medianDays: z.number(), stays: z.number().int() })),
    goals: z.object({
      total: z.number().int(),
      agreed: z.number().int(),
      achieved: z.number().int(),
      dropped: z.number().int(),
      achievementRate: z.number().nullable().meta({ description: 'achieved ÷ (achieved + dropped); null until a goal is resolved.' }),
    }),
    progress: z
      .object({
        goalsTracked: z.number().int().meta({ description: 'Agreed goals with a due date and at least one metric with a baseline and a different target.' }),
        goalsOnTrack: z
          .number()
          .int()
          .meta({ description: "Of those, goals whose metrics have come (on average) at least as far from baseline to target as the goal's time from agreement to its due date has run." }),
        onTrackShare: z.number().nullable().meta({ description: 'goalsOnTrack ÷ goalsTracked; null when no goal is tracked.' }),
        tasks: z.object({ done: z.number().int(), total: z.number().int() }).meta({ description: 'The action plans of every goal not dropped.' }),
        sessions: z
          .object({
            relationshipsWithRhythm: z.number().int().meta({ description: 'Relationships whose agreement sets a rhythm.' }),
            expected: z.number().int().meta({ description: 'Sessions their rhythms expected, from each first session until now (or until the relationship ended).' }),
            held: z.number().int().meta({ description: 'Sessions they held in that time.' }),
            heldShare: z
              .number()
              .nullable()
              .meta({ description: "Sessions held ÷ expected, each pair counted up to what its rhythm expected (meeting more often does not make up for another pair's gap); null when none was expected yet." }),
            relationships: z
              .array(
                z.object({
                  relationshipId: Id,
                  expected: z.number().int().meta({ description: 'Sessions the rhythm expected so far, expanded in its time zone.' }),
                  held: z.number().int(),
                }),
              )
              .meta({ description: 'Up to 100, furthest behind their rhythm first.' }),
          })
          .meta({ description: "Sessions held against each pair's agreed rhythm (RFC 5545, in its time zone)." }),
      })
      .meta({ description: 'The work inside the stages: KPIs against time, tasks done, and sessions held against the agreed rhythm.' }),
    inactive: z.object({
      days: z.number().int(),
      count: z.number().int(),
      relationshipIds: z.array(Id).meta({ description: 'Up to 100, least recently active first.' }),
    }),
    quiet: z
      .object({
        count: z.number().int(),
        relationshipIds: z.array(Id).meta({ description: 'Up to 100, quiet longest first.' }),
      })
      .meta({
        description:
          "Active pairs that missed their expected session (by their agreed rhythm, or the programme's default cadence) by the grace period and have held none since: the pairs `relationship.quiet` was sent for.",
      }),
  })
  .meta({ id: 'ProgrammeReport' });
export type ProgrammeReport = z.infer<typeof ProgrammeReport>;
