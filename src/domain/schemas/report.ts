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
    inactive: z.object({
      days: z.number().int(),
      count: z.number().int(),
      relationshipIds: z.array(Id).meta({ description: 'Up to 100, least recently active first.' }),
    }),
  })
  .meta({ id: 'ProgrammeReport' });
export type ProgrammeReport = z.infer<typeof ProgrammeReport>;
