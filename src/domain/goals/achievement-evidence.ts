import type { Goal } from '../schemas/goal.ts';

/**
 * Whether a goal's own evidence says it is achieved: every metric's latest reading at or past its
 * target (past in the target's direction from the baseline: down for a target below it), or every
 * milestone done. When it does not, `missing` says why, in words a front end can show.
 */
export function achievementEvidence(goal: Pick<Goal, 'metrics' | 'milestones'>): { evidenced: boolean; missing: string[] } {
  const metricsMet = goal.metrics.length > 0 && goal.metrics.every(metricMet);
  const milestonesDone = goal.milestones.length > 0 && goal.milestones.every((milestone) => milestone.doneAt !== null);
  if (metricsMet || milestonesDone) return { evidenced: true, missing: [] };
  return {
    evidenced: false,
    missing: [
      ...goal.metrics.filter((metric) => !metricMet(metric)).map((metric) =>
        metric.target === null
          ? `metric "${metric.name}" has no target`
          : `metric "${metric.name}" is at ${metric.current?.value ?? metric.baseline ?? 'no reading'} of its target ${metric.target}`,
      ),
      ...goal.milestones.filter((milestone) => milestone.doneAt === null).map((milestone) => `milestone "${milestone.title}" is not done`),
      ...(goal.metrics.length === 0 && goal.milestones.length === 0 ? ['the goal has neither metrics nor milestones'] : []),
    ],
  };
}

function metricMet(metric: Goal['metrics'][number]): boolean {
  if (metric.target === null || metric.current === null) return false;
  const downwards = metric.baseline !== null && metric.target < metric.baseline;
  return downwards ? metric.current.value <= metric.target : metric.current.value >= metric.target;
}
