import { z } from 'zod';
import { ACHIEVEMENT_BASES, GOAL_FOCUSES, GOAL_STATUSES, GOAL_TERMS, PARTIES } from '../../vocabulary.ts';
import { Id, IsoDate, Timestamp, longText, shortText } from './common.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const partId = (what: string) =>
  Id.optional().meta({ description: `The ${what}'s id when editing: named parts are kept (with their ids and what is done), new ones are added, the rest removed.` });

export const MetricInput = z.strictObject({
  id: partId('metric'),
  name: shortText(200),
  baseline: finite.nullable().optional(),
  target: finite.nullable().optional(),
  unit: z.string().max(50).nullable().optional(),
});
export const MilestoneInput = z.strictObject({ id: partId('milestone'), title: shortText(200), dueOn: IsoDate.nullable().optional() });
export const TaskInput = z.strictObject({
  id: partId('task'),
  title: shortText(200),
  dueOn: IsoDate.nullable().optional(),
  resources: z.array(shortText(500)).max(20).optional().meta({ description: 'Links, books, people to meet.' }),
});

export const GoalDraftInput = z
  .strictObject({
    title: shortText(200),
    parentGoalId: Id.nullable().optional().meta({ description: 'A goal of the same relationship that this one feeds into (after a loop back, a new goal may build on an earlier one).' }),
    outcome: longText(2000).optional(),
    focus: z.enum(GOAL_FOCUSES).optional(),
    relevance: longText(2000).optional(),
    dueOn: IsoDate.nullable().optional(),
    metrics: z.array(MetricInput).max(20).optional(),
    milestones: z.array(MilestoneInput).max(50).optional(),
    tasks: z.array(TaskInput).max(100).optional(),
    mentorConfirmedRealistic: z.boolean().optional().meta({ description: 'The mentor agrees the goal is realistic (Achievable).' }),
  })
  .meta({ id: 'GoalDraft' });
export type GoalDraftInput = z.infer<typeof GoalDraftInput>;

export const UpdateGoalInput = GoalDraftInput.partial().meta({ id: 'UpdateGoal' });
export type UpdateGoalInput = z.infer<typeof UpdateGoalInput>;

export const SmartCheckInput = z
  .strictObject({
    // A goal's lineage has no bearing on SMART, and a check stores nothing: no parent to name.
    goal: GoalDraftInput.omit({ parentGoalId: true }),
    relationshipId: Id.optional().meta({ description: "Check against this relationship's programme and aspiration." }),
    programmeId: Id.optional(),
    aspiration: longText(2000).optional(),
  })
  .meta({ id: 'SmartCheck' });
export type SmartCheckInput = z.infer<typeof SmartCheckInput>;

const Finding = z.object({ code: z.string(), message: z.string(), path: z.string().optional() });
const LetterResult = z.object({ passed: z.boolean(), failures: z.array(Finding) });
export const SmartReport = z
  .object({
    passed: z.boolean(),
    letters: z.object({ specific: LetterResult, measurable: LetterResult, achievable: LetterResult, relevant: LetterResult, timeBound: LetterResult }),
    warnings: z.array(Finding),
  })
  .meta({ id: 'SmartReport' });

export const AgreeGoalInput = z
  .strictObject({
    parties: z.array(z.enum(PARTIES)).min(1).max(2).optional().meta({ description: 'Organisation roles record both by default; a member agrees as themselves.' }),
  })
  .meta({ id: 'AgreeGoal' });
export type AgreeGoalInput = z.infer<typeof AgreeGoalInput>;

export const AchieveGoalInput = z
  .strictObject({
    achievedDespite: shortText(2000)
      .optional()
      .meta({ description: "Why the goal is achieved although its evidence does not say so (not every metric at or past its target, nor every milestone done); required then, kept otherwise." }),
    parties: z
      .array(z.enum(PARTIES))
      .min(1)
      .max(2)
      .optional()
      .meta({ description: 'Organisation roles act for the parties named, both by default (recorded as acts on their behalf); a member acts as themselves.' }),
  })
  .meta({ id: 'AchieveGoal' });
export type AchieveGoalInput = z.infer<typeof AchieveGoalInput>;

const PartyAct = z
  .object({
    party: z.enum(PARTIES),
    actor: z.string().meta({ description: "Who acted (their token's sub)." }),
    at: Timestamp,
    onBehalf: z.boolean().meta({ description: 'True when programme staff or an integration acted for the party.' }),
  })
  .meta({ id: 'PartyAct' });

export const GoalAchievement = z
  .object({
    basis: z.enum(ACHIEVEMENT_BASES).meta({ description: 'evidence: every metric at or past its target, or every milestone done; reason: achievedDespite was given.' }),
    reason: z.string().nullable().meta({ description: 'achievedDespite, when given.' }),
    marked: PartyAct,
    confirmed: PartyAct.nullable().meta({ description: "The other party's confirmation; until then the goal stays agreed (pending) and does not count as resolved." }),
  })
  .meta({ id: 'GoalAchievement' });

export const DropGoalInput = z.strictObject({ reason: shortText(2000) }).meta({ id: 'DropGoal' });
export type DropGoalInput = z.infer<typeof DropGoalInput>;

export const MetricProgress = z
  .object({
    id: Id,
    name: z.string(),
    baseline: z.number().nullable(),
    target: z.number().nullable(),
    unit: z.string().nullable(),
    current: z
      .object({ value: z.number(), at: Timestamp, recordedBy: z.string() })
      .nullable()
      .meta({ description: 'The latest reading (by the time it was taken); null before the first check-in.' }),
    progress: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'How far from baseline to target the current value (or the baseline, before any reading) is, 0–1; also when the target is below the baseline. Null without both a baseline and a different target.' }),
  })
  .meta({ id: 'Metric' });

export const Task = z
  .object({
    id: Id,
    title: z.string(),
    dueOn: IsoDate.nullable(),
    resources: z.array(z.string()),
    doneAt: Timestamp.nullable(),
    doneBy: z.string().nullable().meta({ description: 'Who completed it (their token\'s sub).' }),
    doneNote: z.string().nullable(),
  })
  .meta({ id: 'Task' });

export const Goal = z
  .object({
    id: Id,
    relationshipId: Id,
    parentGoalId: Id.nullable().meta({ description: 'The goal of the same relationship this one feeds into; null when none.' }),
    title: z.string(),
    outcome: z.string(),
    focus: z.enum(GOAL_FOCUSES),
    relevance: z.string(),
    dueOn: IsoDate.nullable(),
    status: z.enum(GOAL_STATUSES),
    mentorConfirmedRealistic: z.boolean(),
    agreedByMentorAt: Timestamp.nullable(),
    agreedByMenteeAt: Timestamp.nullable(),
    agreedAt: Timestamp.nullable(),
    round: z.number().int().min(1).nullable().meta({ description: "The relationship's round in which the goal was (last) agreed; null while it never was. Growth (action planning in five-stage) needs a goal agreed in the current round." }),
    achievedAt: Timestamp.nullable(),
    achievement: GoalAchievement.nullable().meta({ description: 'One party marked it achieved (on evidence or with a reason) and the other confirms; null until marked.' }),
    droppedAt: Timestamp.nullable(),
    dropReason: z.string().nullable(),
    metrics: z.array(MetricProgress),
    milestones: z.array(z.object({ id: Id, title: z.string(), dueOn: IsoDate.nullable(), doneAt: Timestamp.nullable() })),
    tasks: z.array(Task),
    taskProgress: z.object({ done: z.number().int(), total: z.number().int() }).meta({ description: 'The action plan: tasks done of all tasks.' }),
    reopened: z
      .object({ at: Timestamp, because: z.array(z.enum(GOAL_TERMS)) })
      .nullable()
      .meta({ description: 'When an edit of its agreed terms last sent the goal back to draft, and which terms; null once agreed again.' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Goal' });
export type Goal = z.infer<typeof Goal>;
