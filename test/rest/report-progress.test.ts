import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, daysFromNow, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { manualClock } from '../webhooks/helpers/clock.ts';

// The report's progress: goals on track by their metrics against the time that has passed, and tasks done.
const clock = manualClock(Date.now());
const { app, auth } = await buildTestApp(t, { clock: clock.clock });

t.test('a programme report shows goals on track by their KPIs and the tasks done', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('report-progress') }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Progress programme' });
  const open = async () => {
    const mentor = await api.must('POST', '/v1/people', personInput());
    const mentee = await api.must('POST', '/v1/people', personInput());
    const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
    await api.must('PUT', `/v1/relationships/${rel.id}/agreement`, agreementInput());
    return rel.id as string;
  };
  const now = new Date(clock.clock());
  // Due in 100 days; the KPI goes from 10 down to 0 (a target below the baseline).
  const goalInput = (overrides = {}) =>
    smartGoalInput({
      dueOn: daysFromNow(99, now),
      metrics: [{ name: 'Escalations a month', baseline: 10, target: 0, unit: 'escalations' }],
      tasks: [
        { title: 'Map the escalation paths', dueOn: daysFromNow(30, now) },
        { title: 'Train the team', dueOn: daysFromNow(60, now) },
      ],
      ...overrides,
    });
  const ahead = await open();
  const behind = await open();
  const untracked = await open();
  const draft = await open();
  const goalOf = async (rel: string, input = goalInput(), agree = true) => {
    const goal = await api.must('POST', `/v1/relationships/${rel}/goals`, input);
    if (agree) await api.must('POST', `/v1/relationships/${rel}/goals/${goal.id}/agree`, {});
    return goal;
  };
  const aheadGoal = await goalOf(ahead);
  const behindGoal = await goalOf(behind);
  await goalOf(untracked, goalInput({ metrics: [{ name: 'Feedback collected', target: 5 }] }));
  await goalOf(draft, goalInput(), false);

  const before = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(before.progress, { goalsTracked: 2, goalsOnTrack: 2, onTrackShare: 1, tasks: { done: 0, total: 8 } }, 'at agreement nothing is behind yet');

  // Half the time passes: 50 of 100 days.
  clock.advance(50 * 86_400_000);
  await api.must('POST', `/v1/relationships/${ahead}/goals/${aheadGoal.id}/metrics/${aheadGoal.metrics[0].id}/readings`, { value: 4 });
  await api.must('POST', `/v1/relationships/${behind}/goals/${behindGoal.id}/metrics/${behindGoal.metrics[0].id}/readings`, { value: 7 });
  await api.must('POST', `/v1/relationships/${ahead}/goals/${aheadGoal.id}/tasks/${aheadGoal.tasks[0].id}/complete`);
  const half = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(half.progress, { goalsTracked: 2, goalsOnTrack: 1, onTrackShare: 0.5, tasks: { done: 1, total: 8 } }, 'down to 4 of 10 is ahead of half time; down to 7 is behind');

  // A dropped goal leaves both counts; its tasks no longer count either.
  await api.must('POST', `/v1/relationships/${behind}/goals/${behindGoal.id}/drop`, { reason: 'The team was reorganised.' });
  const dropped = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(dropped.progress, { goalsTracked: 1, goalsOnTrack: 1, onTrackShare: 1, tasks: { done: 1, total: 6 } });

  const empty = await api.must('POST', '/v1/programmes', { name: 'Nothing yet' });
  t.same((await api.must('GET', `/v1/programmes/${empty.id}/report`)).progress, { goalsTracked: 0, goalsOnTrack: 0, onTrackShare: null, tasks: { done: 0, total: 0 } });
});

t.test('extreme KPI values never break the report', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('report-extremes') }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Extremes' });
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  const goal = await api.must('POST', `/v1/relationships/${rel.id}/goals`, smartGoalInput({ metrics: [{ name: 'Huge', baseline: -1.7e308, target: 1.7e308 }, { name: 'Tiny', baseline: 0, target: 5e-324 }] }));
  await api.must('POST', `/v1/relationships/${rel.id}/goals/${goal.id}/agree`, {});
  const recorded = await api.must('POST', `/v1/relationships/${rel.id}/goals/${goal.id}/metrics/${goal.metrics[0].id}/readings`, { value: 1.7e308 });
  t.equal(recorded.goal.metrics[0].progress, 1);
  const report = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(report.progress.goalsTracked, 1);
});
