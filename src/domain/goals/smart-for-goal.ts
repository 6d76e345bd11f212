import type { Ctx } from '../context.ts';
import type { Goal, GoalDraftInput } from '../schemas/goal.ts';
import { checkSmart, type GoalDraft, type SmartContext, type SmartReport } from '../smart/check-smart.ts';

/** The programme settings SMART reads: its row, or the programme as presented. */
type GoalBounds = { goalHorizonMinDays: number; goalHorizonMaxMonths: number; endsOn: string | null };

export function smartContext(ctx: Ctx, programme: GoalBounds | null, aspiration: string | null): SmartContext {
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
export const smartReportFor = (ctx: Ctx, goal: Goal, programme: GoalBounds, relationship: { aspiration: string | null }): SmartReport =>
  checkSmart(draftOf(goal), smartContext(ctx, programme, relationship.aspiration));

export const smartFailures = (report: SmartReport) => Object.values(report.letters).flatMap((letter) => letter.failures);
