import type { RelationshipRow } from '../access.ts';
import type { Ctx } from '../context.ts';
import type { ProgrammeRow } from '../programmes/present-programme.ts';
import type { Goal, GoalDraftInput } from '../schemas/goal.ts';
import { checkSmart, type GoalDraft, type SmartContext, type SmartReport } from '../smart/check-smart.ts';

export function smartContext(ctx: Ctx, programme: ProgrammeRow | null, aspiration: string | null): SmartContext {
  return {
    today: ctx.clock().toISOString().slice(0, 10),
    horizon: { minDays: programme?.goalHorizonMinDays ?? 7, maxMonths: programme?.goalHorizonMaxMonths ?? 24 },
    programmeEndsOn: programme?.endsOn ?? null,
    aspiration,
  };
}

export const draftOf = (goal: Goal | GoalDraftInput): GoalDraft => ({
  title: goal.title,
  outcome: goal.outcome ?? '',
  focus: goal.focus ?? 'other',
  relevance: goal.relevance ?? '',
  dueOn: goal.dueOn ?? null,
  metrics: (goal.metrics ?? []).map((m) => ({ name: m.name, baseline: m.baseline ?? null, target: m.target ?? null, unit: m.unit ?? null })),
  milestones: (goal.milestones ?? []).map((m) => ({ title: m.title, dueOn: m.dueOn ?? null })),
  mentorConfirmedRealistic: goal.mentorConfirmedRealistic ?? false,
});

/** The SMART report of a saved goal, as of the clock's today. */
export const smartReportFor = (ctx: Ctx, goal: Goal, programme: ProgrammeRow, relationship: RelationshipRow): SmartReport =>
  checkSmart(draftOf(goal), smartContext(ctx, programme, relationship.aspiration));

export const smartFailures = (report: SmartReport) => Object.values(report.letters).flatMap((letter) => letter.failures);
