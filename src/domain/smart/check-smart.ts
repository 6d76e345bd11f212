import type { GoalFocus } from '../../vocabulary.ts';
import { addCalendarMonths, daysBetween, formatIsoDate, isUnset, type ParsedDates, parseGoalDates } from './dates.ts';
import { countWords, findVaguePhrase, isBlank, nonSpaceLength, significantStems } from './wording.ts';

export interface GoalDraft {
  title: string;
  outcome: string; // what will be true when done
  focus: GoalFocus;
  relevance: string; // how it serves the mentee's aspiration
  dueOn: string | null; // 'YYYY-MM-DD'
  metrics: { name: string; baseline: number | null; target: number | null; unit: string | null }[];
  milestones: { title: string; dueOn: string | null }[];
  mentorConfirmedRealistic: boolean;
}
export interface SmartContext {
  today: string; // 'YYYY-MM-DD' (UTC)
  horizon: { minDays: number; maxMonths: number }; // programme bounds, default 7 days .. 24 months
  programmeEndsOn: string | null; // 'YYYY-MM-DD'
  aspiration: string | null; // the mentee's stated aspiration
}
export const SMART_LETTERS = ['specific', 'measurable', 'achievable', 'relevant', 'timeBound'] as const;
export type SmartLetter = (typeof SMART_LETTERS)[number];
export interface SmartFinding { code: string; message: string; path?: string } // path like 'milestones.1.dueOn'
export interface SmartLetterResult { passed: boolean; failures: SmartFinding[] }
export interface SmartReport { passed: boolean; letters: Record<SmartLetter, SmartLetterResult>; warnings: SmartFinding[] }

const MIN_OUTCOME_WORDS = 4;
const MIN_OUTCOME_CHARS = 20;
const MIN_RELEVANCE_CHARS = 10;

export function checkSmart(draft: GoalDraft, context: SmartContext): SmartReport {
  const dates = parseGoalDates(draft, context);
  const warnings: SmartFinding[] = [];
  const letters: Record<SmartLetter, SmartLetterResult> = {
    specific: letterResult(checkSpecific(draft, warnings)),
    measurable: letterResult(checkMeasurable(draft)),
    achievable: letterResult(checkAchievable(draft, context, dates)),
    relevant: letterResult(checkRelevant(draft, context, warnings)),
    timeBound: letterResult(checkTimeBound(draft, dates)),
  };
  return { passed: SMART_LETTERS.every((letter) => letters[letter].passed), letters, warnings };
}

function letterResult(failures: SmartFinding[]): SmartLetterResult {
  return { passed: failures.length === 0, failures };
}

function hasNumericTarget(metric: GoalDraft['metrics'][number]): boolean {
  return typeof metric.target === 'number' && Number.isFinite(metric.target);
}

function checkSpecific(draft: GoalDraft, warnings: SmartFinding[]): SmartFinding[] {
  const failures: SmartFinding[] = [];
  const outcome = String(draft.outcome).trim();
  if (outcome === '') {
    failures.push({ code: 'SPECIFIC_OUTCOME_MISSING', message: 'Describe the outcome: what will be true when this goal is done.', path: 'outcome' });
  } else if (countWords(outcome) < MIN_OUTCOME_WORDS || nonSpaceLength(outcome) < MIN_OUTCOME_CHARS) {
    failures.push({
      code: 'SPECIFIC_OUTCOME_TOO_VAGUE',
      message: `The outcome "${outcome}" is too short to be specific: use at least ${MIN_OUTCOME_WORDS} words and ${MIN_OUTCOME_CHARS} characters to say what will be true when done.`,
      path: 'outcome',
    });
  }
  const hasMeasure = draft.metrics.some(hasNumericTarget) || /\d/.test(outcome);
  for (const path of ['title', 'outcome'] as const) {
    const phrase = findVaguePhrase(draft[path]);
    if (phrase && !hasMeasure) {
      warnings.push({ code: 'VAGUE_WORDING', message: `"${phrase}" is vague on its own: add a number to the outcome or a metric with a target.`, path });
      break;
    }
  }
  return failures;
}

function checkMeasurable(draft: GoalDraft): SmartFinding[] {
  const failures: SmartFinding[] = draft.metrics.flatMap((metric, i) =>
    isBlank(metric.name) ? [{ code: 'MEASURABLE_METRIC_UNNAMED', message: `Metric ${i + 1} needs a name.`, path: `metrics.${i}.name` }] : [],
  );
  const datedMilestones = draft.milestones.filter((milestone) => !isUnset(milestone.dueOn)).length;
  if (!draft.metrics.some(hasNumericTarget) && datedMilestones < 2) {
    failures.push({
      code: 'MEASURABLE_NO_MEASURE',
      message: `Add a metric with a numeric target, or at least two milestones with due dates (${datedMilestones} of the milestones has a due date).`,
    });
  }
  return failures;
}

function checkAchievable(draft: GoalDraft, context: SmartContext, dates: ParsedDates): SmartFinding[] {
  const failures: SmartFinding[] = [];
  if (draft.mentorConfirmedRealistic !== true) {
    failures.push({ code: 'ACHIEVABLE_NOT_CONFIRMED', message: 'The mentor has not yet confirmed that this goal is realistic.', path: 'mentorConfirmedRealistic' });
  }
  if (!dates.today || !dates.dueOn) return failures;
  const { minDays, maxMonths } = context.horizon;
  const due = formatIsoDate(dates.dueOn);
  const daysAway = daysBetween(dates.today, dates.dueOn);
  const latest = addCalendarMonths(dates.today, maxMonths);
  // A due date on or before today is a Time-bound failure; reporting a negative horizon too would only repeat it.
  if (daysAway > 0 && daysAway < minDays) {
    failures.push({ code: 'ACHIEVABLE_HORIZON_TOO_SHORT', message: `The due date ${due} is only ${daysAway} day(s) away; allow at least ${minDays} days.`, path: 'dueOn' });
  } else if (daysBetween(latest, dates.dueOn) > 0) {
    failures.push({
      code: 'ACHIEVABLE_HORIZON_TOO_LONG',
      message: `The due date ${due} is more than ${maxMonths} months away; the latest allowed is ${formatIsoDate(latest)}.`,
      path: 'dueOn',
    });
  }
  return failures;
}

function checkRelevant(draft: GoalDraft, context: SmartContext, warnings: SmartFinding[]): SmartFinding[] {
  const relevance = String(draft.relevance).trim();
  const aspiration = isUnset(context.aspiration) ? '' : context.aspiration.trim();
  const aspirationStems = significantStems(aspiration);
  if (aspirationStems.size === 0) {
    const message = aspiration === ''
      ? "The mentee's aspiration is not known, so relevance could not be checked against it."
      : `The mentee's aspiration "${aspiration}" has no topic words, so relevance could not be checked against it.`;
    warnings.push({ code: 'ASPIRATION_UNKNOWN', message });
  }
  if (relevance.length < MIN_RELEVANCE_CHARS) {
    return [{ code: 'RELEVANT_MISSING', message: `Say how this goal serves the mentee's aspiration, in at least ${MIN_RELEVANCE_CHARS} characters.`, path: 'relevance' }];
  }
  const sharesTopic = [...significantStems(relevance)].some((stem) => aspirationStems.has(stem));
  if (aspirationStems.size > 0 && !sharesTopic) {
    return [{ code: 'RELEVANT_NOT_TIED_TO_ASPIRATION', message: `The relevance does not mention anything from the mentee's aspiration "${aspiration}".`, path: 'relevance' }];
  }
  return [];
}

function checkTimeBound(draft: GoalDraft, dates: ParsedDates): SmartFinding[] {
  const failures = [...dates.invalid];
  if (isUnset(draft.dueOn)) {
    failures.push({ code: 'TIME_BOUND_NO_DUE_DATE', message: 'Set a due date for this goal.', path: 'dueOn' });
    return failures;
  }
  if (!dates.dueOn) return failures;
  const due = formatIsoDate(dates.dueOn);
  if (dates.today && daysBetween(dates.today, dates.dueOn) <= 0) {
    failures.push({ code: 'TIME_BOUND_DUE_DATE_NOT_FUTURE', message: `The due date ${due} is not after today (${formatIsoDate(dates.today)}).`, path: 'dueOn' });
  }
  if (dates.programmeEndsOn && daysBetween(dates.programmeEndsOn, dates.dueOn) > 0) {
    failures.push({
      code: 'TIME_BOUND_AFTER_PROGRAMME_END',
      message: `The due date ${due} is after the programme ends on ${formatIsoDate(dates.programmeEndsOn)}.`,
      path: 'dueOn',
    });
  }
  dates.milestones.forEach((milestoneDue, i) => {
    if (milestoneDue && dates.dueOn && daysBetween(dates.dueOn, milestoneDue) > 0) {
      failures.push({
        code: 'TIME_BOUND_MILESTONE_AFTER_DUE',
        message: `Milestone ${i + 1} is due on ${formatIsoDate(milestoneDue)}, after the goal's due date ${due}.`,
        path: `milestones.${i}.dueOn`,
      });
    }
  });
  return failures;
}
