import { z } from 'zod';
import { PARTIES, REFLECTION_KINDS, SESSION_KINDS, SESSION_STATUSES } from '../../vocabulary.ts';
import { Id, Timestamp, longText, shortText } from './common.ts';

export const LogSessionInput = z
  .strictObject({
    kind: z.enum(SESSION_KINDS),
    heldAt: Timestamp.meta({ description: 'When it happened: never in the future.' }),
    minutes: z.number().int().min(1).max(600),
    notes: longText(10000).nullable().optional().meta({ description: 'Visible to both parties.' }),
  })
  .meta({ id: 'LogSession', description: 'A meeting that already took place, logged as held.' });
export type LogSessionInput = z.infer<typeof LogSessionInput>;

export const PlanSessionInput = z
  .strictObject({
    kind: z.enum(SESSION_KINDS).default('regular'),
    plannedAt: Timestamp.meta({ description: 'When it is to start: in the future.' }),
    minutes: z
      .number()
      .int()
      .min(5)
      .max(600)
      .optional()
      .meta({ description: "Planned length. Defaults to the programme's discovery-call length (20 minutes unless set) for a discovery call, 60 otherwise." }),
    agenda: longText(4000).nullable().optional().meta({ description: 'What the pair means to talk about; visible to both parties.' }),
  })
  .meta({ id: 'PlanSession' });
export type PlanSessionInput = z.infer<typeof PlanSessionInput>;

export const HoldSessionInput = z
  .strictObject({
    heldAt: Timestamp.optional().meta({ description: 'When it happened: never in the future. Defaults to the planned time if that has passed, otherwise now.' }),
    minutes: z.number().int().min(1).max(600).optional().meta({ description: 'How long it lasted; defaults to the planned length.' }),
    notes: longText(10000).nullable().optional().meta({ description: 'Visible to both parties.' }),
  })
  .meta({ id: 'HoldSession' });
export type HoldSessionInput = z.infer<typeof HoldSessionInput>;

export const CloseSessionInput = z
  .strictObject({ reason: longText(2000).nullable().optional().meta({ description: 'Why it was cancelled, or why it did not take place.' }) })
  .meta({ id: 'CloseSession' });
export type CloseSessionInput = z.infer<typeof CloseSessionInput>;

export const Session = z
  .object({
    id: Id,
    relationshipId: Id,
    kind: z.enum(SESSION_KINDS),
    status: z.enum(SESSION_STATUSES).meta({ description: 'planned, then held, cancelled or missed.' }),
    plannedAt: Timestamp.nullable().meta({ description: 'Null for a session logged after the fact.' }),
    plannedMinutes: z.number().int().nullable(),
    agenda: z.string().nullable(),
    heldAt: Timestamp.nullable().meta({ description: 'When it happened; null unless held.' }),
    minutes: z.number().int().nullable().meta({ description: 'How long it lasted; null unless held.' }),
    notes: z.string().nullable(),
    reason: z.string().nullable().meta({ description: 'Why it was cancelled or missed.' }),
    loggedBy: z.string(),
    statusChangedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

const reflectionBase = {
  party: z.enum(PARTIES).optional().meta({ description: 'Required for organisation roles; a member writes as themselves.' }),
  text: shortText(10000),
};
const closingAnswer = (question: string) => shortText(4000).meta({ description: question });

/** A reflection is a union by `kind`: a closing reflection answers three questions the others do not ask. */
export const RecordReflectionInput = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('progress'), ...reflectionBase }).meta({ id: 'RecordProgressReflection' }),
    z.strictObject({ kind: z.literal('feedback'), ...reflectionBase }).meta({ id: 'RecordFeedbackReflection' }),
    z
      .strictObject({
        kind: z.literal('closing'),
        ...reflectionBase,
        whatWorked: closingAnswer('What worked in the relationship.'),
        whatDidNot: closingAnswer('What did not.'),
        howBenefited: closingAnswer('How the author benefited.'),
      })
      .meta({ id: 'RecordClosingReflection' }),
  ])
  .meta({ id: 'RecordReflection' });
export type RecordReflectionInput = z.infer<typeof RecordReflectionInput>;

export const Reflection = z
  .object({
    id: Id,
    relationshipId: Id,
    authorParty: z.enum(PARTIES),
    authorId: Id,
    kind: z.enum(REFLECTION_KINDS),
    text: z.string(),
    whatWorked: z.string().nullable(),
    whatDidNot: z.string().nullable(),
    howBenefited: z.string().nullable(),
    round: z.number().int().min(1).meta({ description: "The relationship's round when it was written: a closing reflection counts only for the closure of its own round." }),
    createdAt: Timestamp,
  })
  .meta({ id: 'Reflection' });
export type Reflection = z.infer<typeof Reflection>;
