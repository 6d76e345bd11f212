import { z } from 'zod';
import { PARTIES, RELATIONSHIP_STATUSES } from '../../vocabulary.ts';
import { Rhythm } from './rhythm.ts';
import { Id, PageQuery, Timestamp, Version, longText, pageOf, shortText } from './common.ts';

export const Agreement = z
  .strictObject({
    contactChannel: shortText(200).meta({ example: 'Video call, Slack for quick questions' }),
    contactHours: shortText(200).meta({ example: 'Tuesdays 16:00–17:00 UK time' }),
    confidentiality: shortText(2000).meta({ example: 'What we discuss stays between us unless there is a safety concern.' }),
    mentorCanHelpWith: z.array(shortText(200)).min(1).max(30),
    mentorCannotHelpWith: z.array(shortText(200)).max(30),
    rhythm: Rhythm.nullable().optional().meta({ description: 'How often the pair meets: an RFC 5545 recurrence rule in a time zone.' }),
  })
  .meta({ id: 'Agreement', description: 'The boundaries of the relationship, and the rhythm of its sessions.' });
export type Agreement = z.infer<typeof Agreement>;

export const OpenRelationshipInput = z
  .strictObject({
    programmeId: Id,
    mentorId: Id,
    menteeId: Id,
    aspiration: longText(2000).nullable().optional().meta({ description: "The mentee's rough aspiration, e.g. 'I want a promotion'." }),
  })
  .meta({ id: 'OpenRelationship' });
export type OpenRelationshipInput = z.infer<typeof OpenRelationshipInput>;

export const Relationship = z
  .object({
    id: Id,
    programmeId: Id,
    mentorId: Id,
    menteeId: Id,
    stage: z.string(),
    status: z.enum(RELATIONSHIP_STATUSES),
    version: Version,
    round: z.number().int().min(1).meta({ description: 'The round of the relationship: 1 at the start, one more at each move back to an earlier stage (a loop), which asks for a goal agreed in the new round and, at closure, closing reflections of its own.' }),
    aspiration: z.string().nullable(),
    agreement: Agreement.nullable(),
    mentorAcceptedAt: Timestamp.nullable(),
    menteeAcceptedAt: Timestamp.nullable(),
    mentorAcceptanceNote: z.string().nullable().meta({ description: 'What the mentor said when accepting the fit.' }),
    menteeAcceptanceNote: z.string().nullable().meta({ description: 'What the mentee said when accepting the fit.' }),
    hopes: z.string().nullable().meta({ description: "The mentee's hopes for the relationship, shared in rapport." }),
    challenges: z.string().nullable().meta({ description: 'The challenges the mentee faces, shared in rapport.' }),
    referralMentorId: Id.nullable(),
    declineReason: z.string().nullable().meta({ description: 'Why it was declined: the reason given with the move to declined (`expired` when an invitation went stale); null otherwise.' }),
    referredFromId: Id.nullable().meta({ description: 'The declined relationship whose referral opened this one.' }),
    referredToId: Id.nullable().meta({ description: 'The relationship its referral opened when it was declined.' }),
    stageEnteredAt: Timestamp,
    lastActivityAt: Timestamp,
    quietSince: Timestamp.nullable().meta({
      description: 'Since when the pair has been quiet: the session its rhythm (or the programme cadence) expected and that was not held within the grace period; null when not quiet. A held session clears it.',
    }),
    endedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Relationship' });
export type Relationship = z.infer<typeof Relationship>;

export const RelationshipPage = pageOf(Relationship, 'Relationship');

export const ListRelationshipsQuery = PageQuery.extend({
  programmeId: Id.optional(),
  stage: z.string().max(40).optional(),
  status: z.enum(RELATIONSHIP_STATUSES).optional(),
  personId: Id.optional().meta({ description: 'Relationships where this person is mentor or mentee.' }),
});
export type ListRelationshipsQuery = z.infer<typeof ListRelationshipsQuery>;

export const AcceptFitInput = z
  .strictObject({
    party: z.enum(PARTIES).optional().meta({ description: 'Required for organisation roles; a member accepts as themselves.' }),
    note: longText(2000).optional(),
  })
  .meta({ id: 'AcceptFit' });
export type AcceptFitInput = z.infer<typeof AcceptFitInput>;

export const RapportInput = z
  .strictObject({
    hopes: longText(4000).nullish().meta({ description: 'What the mentee hopes for from the relationship.' }),
    challenges: longText(4000).nullish().meta({ description: 'The challenges the mentee faces.' }),
  })
  .meta({ id: 'Rapport', description: "The five-stage model's rapport stage: the mentee's hopes and challenges, shared with the mentor. A PUT replaces both: null or absent clears one." });
export type RapportInput = z.infer<typeof RapportInput>;

export const TransitionInput = z
  .strictObject({
    to: z.string().min(1).max(40).meta({ description: 'A stage of the model, or completed, declined or withdrawn.' }),
    reason: longText(2000)
      .optional()
      .meta({ description: "Why: required to withdraw and with an override; when declining, optional and kept as the relationship's declineReason." }),
    override: z.boolean().optional().meta({ description: 'Admins only: skip the guards; a reason is required and recorded.' }),
    referralMentorId: Id.optional().meta({
      description: 'When declining: another mentor recommended instead; they must be able to mentor (an active person with a mentor profile and capacity left), else 422.',
    }),
    openReferral: z
      .boolean()
      .optional()
      .meta({ description: 'With referralMentorId: also open the relationship of the mentee with the referred mentor, in the first stage, in the same transaction.' }),
  })
  .meta({ id: 'Transition' });
export type TransitionInput = z.infer<typeof TransitionInput>;

export const HistoryEntry = z
  .object({
    id: Id,
    version: Version,
    fromStage: z.string().nullable(),
    toStage: z.string(),
    fromStatus: z.enum(RELATIONSHIP_STATUSES).nullable(),
    toStatus: z.enum(RELATIONSHIP_STATUSES),
    actor: z.string(),
    reason: z.string().nullable(),
    override: z.boolean(),
    referralMentorId: Id.nullable(),
    round: z.number().int().min(1).meta({ description: "The relationship's round after this change: a move back to an earlier stage opens the next round." }),
    at: Timestamp,
  })
  .meta({ id: 'HistoryEntry' });
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export const HistoryPage = pageOf(HistoryEntry, 'HistoryEntry');

export const Blocker = z
  .object({
    code: z.string().meta({ example: 'AGREEMENT_NOT_SET' }),
    message: z.string(),
    guard: z.string(),
    target: z.object({ type: z.enum(['goal', 'task']), id: Id }).optional(),
  })
  .meta({ id: 'Blocker' });

export const NextStage = z
  .object({ stage: z.string(), allowed: z.boolean(), blockers: z.array(Blocker) })
  .meta({ id: 'NextStage' });
export const NextStages = z.object({ stage: z.string(), status: z.enum(RELATIONSHIP_STATUSES), version: Version, moves: z.array(NextStage) }).meta({ id: 'NextStages' });
export type NextStages = z.infer<typeof NextStages>;
