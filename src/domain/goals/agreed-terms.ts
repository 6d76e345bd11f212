import type { GoalTerm } from '../../vocabulary.ts';
import type { Goal } from '../schemas/goal.ts';

type Terms = Pick<Goal, 'outcome' | 'relevance' | 'dueOn' | 'mentorConfirmedRealistic'> & {
  metrics: Pick<Goal['metrics'][number], 'id' | 'name' | 'baseline' | 'target' | 'unit'>[];
  milestones: Pick<Goal['milestones'][number], 'id' | 'dueOn'>[];
};

const sameParts = <T extends { id: string }>(before: T[], after: T[], same: (a: T, b: T) => boolean, counts: (part: T) => boolean = () => true) => {
  const was = new Map(before.map((part) => [part.id, part]));
  const is = new Map(after.map((part) => [part.id, part]));
  const gone = before.some((part) => !is.has(part.id) && counts(part));
  const added = after.some((part) => !was.has(part.id) && counts(part));
  return !gone && !added && after.every((part) => !was.has(part.id) || same(was.get(part.id)!, part));
};

/**
 * Which of a goal's agreed terms an edit changed: its outcome, relevance, due date, metrics (added,
 * removed, renamed, baseline, target or unit), milestones' dates (a dated milestone added or removed, a
 * date moved), or the mentor's word that it is realistic, withdrawn. Titles, focus, tasks, readings,
 * completions and the order of parts are the work, not the terms. Parts are compared by id, so an
 * edit that keeps a part's id keeps that part.
 */
export function changedTerms(before: Terms, after: Terms): GoalTerm[] {
  const changed: GoalTerm[] = [];
  if (before.outcome !== after.outcome) changed.push('outcome');
  if (before.relevance !== after.relevance) changed.push('relevance');
  if (before.dueOn !== after.dueOn) changed.push('dueOn');
  const metricSame = (a: Terms['metrics'][number], b: Terms['metrics'][number]) => a.name === b.name && a.baseline === b.baseline && a.target === b.target && a.unit === b.unit;
  if (!sameParts(before.metrics, after.metrics, metricSame)) changed.push('metrics');
  const dated = (milestone: Terms['milestones'][number]) => milestone.dueOn !== null;
  if (!sameParts(before.milestones, after.milestones, (a, b) => a.dueOn === b.dueOn, dated)) changed.push('milestoneDates');
  if (before.mentorConfirmedRealistic && !after.mentorConfirmedRealistic) changed.push('mentorConfirmedRealistic');
  return changed;
}

/** The top-level fields of a goal an edit changed, terms or not (for the goal.updated event). */
export function changedFields(before: Goal, after: Goal): string[] {
  const fields = ['title', 'outcome', 'focus', 'relevance', 'dueOn', 'mentorConfirmedRealistic', 'metrics', 'milestones', 'tasks'] as const;
  const plain = (goal: Goal, field: (typeof fields)[number]) => {
    const value = goal[field];
    // Parts compare by what an edit sets, not by what the work (completions, readings) did to them.
    if (field === 'metrics') return JSON.stringify(goal.metrics.map(({ id, name, baseline, target, unit }) => ({ id, name, baseline, target, unit })));
    if (field === 'milestones') return JSON.stringify(goal.milestones.map(({ id, title, dueOn }) => ({ id, title, dueOn })));
    if (field === 'tasks') return JSON.stringify(goal.tasks.map(({ id, title, dueOn, resources }) => ({ id, title, dueOn, resources })));
    return JSON.stringify(value);
  };
  return fields.filter((field) => plain(before, field) !== plain(after, field));
}
