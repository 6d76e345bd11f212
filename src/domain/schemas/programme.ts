import { z } from 'zod';
import { DEACTIVATION_POLICIES, GUARDS, PROGRAMME_END_POLICIES } from '../../vocabulary.ts';
import { MatchingSettings } from './matching.ts';
import { Id, IsoDate, PageQuery, Timestamp, longText, pageOf, shortText } from './common.ts';

export const StageModel = z
  .object({
    key: z.string(),
    name: z.string(),
    start: z.string(),
    stages: z.array(z.string()),
    transitions: z.array(z.object({ from: z.string(), to: z.string(), guards: z.array(z.enum(GUARDS)) })),
  })
  .meta({ id: 'StageModel', description: '`withdrawn` is always allowed from any stage and is not listed.' });

export const StageModelInput = z
  .strictObject({
    key: z.string().max(40),
    name: shortText(100),
    start: z.string().max(40),
    stages: z.array(z.string().max(40)).max(20),
    transitions: z.array(z.strictObject({ from: z.string().max(40), to: z.string().max(40), guards: z.array(z.string().max(40)).max(10) })).max(200),
  })
  .meta({ id: 'CustomStageModel', description: 'A custom model; it must be sound (see the stage-models guide).' });

export const ProgrammeSettings = z.strictObject({
  description: longText(2000).nullable().optional(),
  discoveryMinutes: z.number().int().min(5).max(240).optional(),
  discoveryRequired: z.boolean().optional(),
  discoveryMinMinutes: z
    .number()
    .int()
    .min(1)
    .max(240)
    .nullable()
    .optional()
    .meta({ description: 'When the discovery call is required: the fewest minutes a held call must last to count. Null (the default): any length.' }),
  goalHorizonMinDays: z.number().int().min(0).max(3650).optional(),
  goalHorizonMaxMonths: z.number().int().min(1).max(120).optional(),
  endsOn: IsoDate.nullable().optional(),
  onPersonDeactivated: z
    .enum(DEACTIVATION_POLICIES)
    .optional()
    .meta({ description: 'When a person is de-provisioned (SCIM): withdraw their active relationships here ("left the organisation", the default), or keep them, flagged by an event.' }),
  defaultCadenceDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .optional()
    .meta({ description: 'Days between sessions expected of a pair that agreed no rhythm (default 14).' }),
  quietGraceDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .meta({ description: 'How many days after an expected session a pair that held none goes quiet (`relationship.quiet`; default 7).' }),
  invitationExpiryDays: z
    .number()
    .int()
    .min(1)
    .max(365)
    .nullable()
    .optional()
    .meta({ description: 'Days after which an initiation without both acceptances is declined with reason `expired` (default 14; null: never).' }),
  dueSoonDays: z
    .number()
    .int()
    .min(0)
    .max(60)
    .optional()
    .meta({ description: 'Days before a task, milestone or goal is due that its `*.due_soon` event is sent (default 2; 0: on the day).' }),
  sessionReminderMinutes: z
    .number()
    .int()
    .min(5)
    .max(10_080)
    .optional()
    .meta({ description: 'Minutes before a planned session that `session.upcoming` is sent (default 1440: a day).' }),
  endingNoticeDays: z
    .number()
    .int()
    .min(0)
    .max(365)
    .optional()
    .meta({ description: 'Days before endsOn that `programme.ending` is sent (default 14).' }),
  onProgrammeEnd: z
    .enum(PROGRAMME_END_POLICIES)
    .optional()
    .meta({ description: 'Relationships still active after endsOn: leave them (the default), or close them (withdrawn, reason "the programme ended").' }),
  matching: MatchingSettings.optional().meta({ description: 'Replaces the whole of the matching settings; what is left out takes its default.' }),
});

export const CreateProgrammeInput = ProgrammeSettings.extend({
  name: shortText(200),
  stageModelKey: z.string().max(40).optional().meta({ description: 'A built-in model: classic-4 (default) or five-stage.' }),
  stageModel: StageModelInput.optional(),
})
  .refine((input) => !(input.stageModelKey && input.stageModel), { message: 'give stageModelKey or stageModel, not both', path: ['stageModel'] })
  .meta({ id: 'CreateProgramme' });
export type CreateProgrammeInput = z.infer<typeof CreateProgrammeInput>;

export const UpdateProgrammeInput = ProgrammeSettings.extend({
  name: shortText(200).optional(),
  stageModelKey: z.string().max(40).optional().meta({ description: 'Another built-in model; only while the programme has no relationships.' }),
  stageModel: StageModelInput.optional().meta({ description: 'Another custom model; only while the programme has no relationships.' }),
})
  .refine((input) => !(input.stageModelKey && input.stageModel), { message: 'give stageModelKey or stageModel, not both', path: ['stageModel'] })
  .meta({ id: 'UpdateProgramme', description: 'The fields to change; null clears description and endsOn.' });
export type UpdateProgrammeInput = z.infer<typeof UpdateProgrammeInput>;

export const Programme = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string().nullable(),
    stageModel: StageModel,
    discoveryMinutes: z.number().int(),
    discoveryRequired: z.boolean(),
    discoveryMinMinutes: z.number().int().nullable(),
    goalHorizonMinDays: z.number().int(),
    goalHorizonMaxMonths: z.number().int(),
    endsOn: IsoDate.nullable(),
    onPersonDeactivated: z.enum(DEACTIVATION_POLICIES),
    defaultCadenceDays: z.number().int(),
    quietGraceDays: z.number().int(),
    invitationExpiryDays: z.number().int().nullable(),
    dueSoonDays: z.number().int(),
    sessionReminderMinutes: z.number().int(),
    endingNoticeDays: z.number().int(),
    onProgrammeEnd: z.enum(PROGRAMME_END_POLICIES),
    matching: MatchingSettings,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Programme' });
export type Programme = z.infer<typeof Programme>;

export const ProgrammePage = pageOf(Programme, 'Programme');
export const ListProgrammesQuery = PageQuery;
