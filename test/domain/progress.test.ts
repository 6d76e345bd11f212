import fc from 'fast-check';
import t from 'tap';
import { changedTerms } from '../../src/domain/goals/agreed-terms.ts';
import { metricProgress } from '../../src/domain/progress/metric-progress.ts';

// Metric progress, property by property: any finite baseline, target and reading.
const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const positions = fc.tuple(finite, finite, finite).filter(([baseline, target]) => baseline !== target);
const runs = { numRuns: 2000 };

t.test('progress is a share from 0 to 1, or null without a direction', async (t) => {
  fc.assert(
    fc.property(fc.option(finite), fc.option(finite), fc.option(finite), (baseline, target, current) => {
      const progress = metricProgress({ baseline, target, current });
      if (baseline === null || target === null || baseline === target) return progress === null;
      return progress !== null && progress >= 0 && progress <= 1 && !Number.isNaN(progress);
    }),
    runs,
  );
  t.pass();
});

t.test('at the baseline it is 0, at the target 1, before any reading 0', async (t) => {
  fc.assert(
    fc.property(positions, ([baseline, target]) => {
      return (
        metricProgress({ baseline, target, current: baseline }) === 0 &&
        metricProgress({ baseline, target, current: target }) === 1 &&
        metricProgress({ baseline, target, current: null }) === 0
      );
    }),
    runs,
  );
  t.pass();
});

t.test('past the target stays 1; behind the baseline stays 0 (in the direction of the target)', async (t) => {
  fc.assert(
    fc.property(positions, fc.double({ min: 0, max: 1e6, noNaN: true }), ([baseline, target], beyond) => {
      const up = target > baseline;
      const past = up ? target + beyond : target - beyond;
      const behind = up ? baseline - beyond : baseline + beyond;
      const finitePast = Number.isFinite(past) ? past : target;
      const finiteBehind = Number.isFinite(behind) ? behind : baseline;
      return metricProgress({ baseline, target, current: finitePast }) === 1 && metricProgress({ baseline, target, current: finiteBehind }) === 0;
    }),
    runs,
  );
  t.pass();
});

t.test('moving toward the target never lowers progress, whichever way the target lies', async (t) => {
  fc.assert(
    fc.property(positions, finite, finite, ([baseline, target], a, b) => {
      const [nearer, further] = target > baseline ? [Math.max(a, b), Math.min(a, b)] : [Math.min(a, b), Math.max(a, b)];
      return metricProgress({ baseline, target, current: nearer })! >= metricProgress({ baseline, target, current: further })!;
    }),
    runs,
  );
  t.pass();
});

t.test('a target below the baseline is the mirror of one above it', async (t) => {
  fc.assert(
    fc.property(positions, ([baseline, target, current]) => metricProgress({ baseline, target, current }) === metricProgress({ baseline: -baseline, target: -target, current: -current })),
    runs,
  );
  t.equal(metricProgress({ baseline: 40, target: 10, current: 25 }), 0.5, 'lead time from 40 days to 10: at 25 it is half way');
  t.equal(metricProgress({ baseline: 40, target: 10, current: 50 }), 0, 'and worse than the start is no progress');
  t.equal(metricProgress({ baseline: 0, target: 2, current: 1 }), 0.5);
  t.equal(metricProgress({ baseline: -1e308, target: 1e308, current: 0 }), 0.5, 'spans wider than a double are measured in halves');
});

const goalTerms = (overrides: Partial<Parameters<typeof changedTerms>[0]> = {}) => ({
  outcome: 'I lead two plannings',
  relevance: 'The gap before promotion',
  dueOn: '2027-06-30',
  mentorConfirmedRealistic: true,
  metrics: [{ id: 'm1', name: 'Plannings led', baseline: 0, target: 2, unit: 'sessions' }],
  milestones: [
    { id: 'ms1', dueOn: '2027-01-31' },
    { id: 'ms2', dueOn: null },
  ],
  ...overrides,
});

t.test('only a change to the agreed terms counts', async (t) => {
  const before = goalTerms();
  t.same(changedTerms(before, goalTerms()), [], 'nothing changed');
  t.same(changedTerms(before, goalTerms({ milestones: [...before.milestones].reverse() })), [], 'reordering parts is not a change of terms');
  t.same(changedTerms(before, goalTerms({ milestones: [before.milestones[0]!, { id: 'ms3', dueOn: null }] })), [], 'an undated milestone swapped for another is not');
  t.same(changedTerms(before, goalTerms({ outcome: 'I lead three plannings' })), ['outcome']);
  t.same(changedTerms(before, goalTerms({ relevance: 'Other' })), ['relevance']);
  t.same(changedTerms(before, goalTerms({ dueOn: '2027-07-31' })), ['dueOn']);
  t.same(changedTerms(before, goalTerms({ metrics: [{ ...before.metrics[0]!, target: 3 }] })), ['metrics'], 'a moved target');
  t.same(changedTerms(before, goalTerms({ metrics: [{ ...before.metrics[0]!, id: 'm2' }] })), ['metrics'], 'a metric replaced by another');
  t.same(changedTerms(before, goalTerms({ metrics: [] })), ['metrics'], 'a metric removed');
  t.same(changedTerms(before, goalTerms({ milestones: [{ id: 'ms1', dueOn: '2027-02-28' }, before.milestones[1]!] })), ['milestoneDates']);
  t.same(changedTerms(before, goalTerms({ milestones: [...before.milestones, { id: 'ms3', dueOn: '2027-03-31' }] })), ['milestoneDates'], 'a dated milestone added');
  t.same(changedTerms(before, goalTerms({ mentorConfirmedRealistic: false })), ['mentorConfirmedRealistic'], "the mentor's word withdrawn");
  t.same(changedTerms(goalTerms({ mentorConfirmedRealistic: false }), goalTerms()), [], 'given is not a change of terms');
});
