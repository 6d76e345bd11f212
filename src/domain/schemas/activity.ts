import { z } from 'zod';
import { PARTIES, REFLECTION_KINDS, SESSION_KINDS } from '../../vocabulary.ts';
import { Id, Timestamp, longText, shortText } from './common.ts';

export const LogSessionInput = z
  .strictObject({
    kind: z.enum(SESSION_KINDS),
    heldAt: Timestamp,
    minutes: z.number().int().min(1).max(600),
    notes: longText(10000).nullable().optional().meta({ description: 'Visible to both parties.' }),
  })
  .meta({ id: 'LogSession' });
export type LogSessionInput = z.infer<typeof LogSessionInput>;

export const Session = z
  .object({ id: Id, relationshipId: Id, kind: z.enum(SESSION_KINDS), heldAt: Timestamp, minutes: z.number().int(), notes: z.string().nullable(), loggedBy: z.string(), createdAt: Timestamp })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

export const RecordReflectionInput = z
  .strictObject({
    kind: z.enum(REFLECTION_KINDS),
    party: z.enum(PARTIES).optional().meta({ description: 'Required for organisation roles; a member writes as themselves.' }),
    text: shortText(10000),
    whatWorked: shortText(4000).optional(),
    whatDidNot: shortText(4000).optional(),
    howBenefited: shortText(4000).optional(),
  })
  .refine((r) => r.kind !== 'closing' || (r.whatWorked && r.whatDidNot && r.howBenefited), {
    message: 'a closing reflection answers whatWorked, whatDidNot and howBenefited',
    path: ['whatWorked'],
  })
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
    createdAt: Timestamp,
  })
  .meta({ id: 'Reflection' });
export type Reflection = z.infer<typeof Reflection>;
