/** What progress on a metric is measured from: where it started, where it should get to, where it is. */
export interface MetricPosition {
  baseline: number | null;
  target: number | null;
  /** The latest reading; before any, the metric stands at its baseline. */
  current: number | null;
}

/**
 * How far a metric has come from its baseline toward its target, from 0 (at or behind the
 * baseline) to 1 (at or past the target). The direction is the target's: a target below the
 * baseline (fewer escalations, a shorter lead time) progresses as the value falls. Without both a
 * baseline and a target different from it there is no direction to measure, and no progress (null).
 * Pure and total over finite numbers: spans too wide for a double are measured in halves.
 */
export function metricProgress({ baseline, target, current }: MetricPosition): number | null {
  if (baseline === null || target === null || baseline === target) return null;
  const value = current ?? baseline;
  let span = target - baseline;
  let moved = value - baseline;
  if (!Number.isFinite(span) || !Number.isFinite(moved)) {
    span = target / 2 - baseline / 2;
    moved = value / 2 - baseline / 2;
  }
  return Math.min(1, Math.max(0, moved / span));
}
