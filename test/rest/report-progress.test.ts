import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, daysFromNow, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { manualClock } from '../webhooks/helpers/clock.ts';
import { gql } from '../graphql/gql-client.ts';

// The report's progress: goals on track by their metrics against the time that has passed, and tasks done.
const clock = manualClock(Date.now());
const { app, auth } = await buildTestApp(t, { clock: clock.clock });
/** No agreement here sets a rhythm. */
const sessions = { relationshipsWithRhythm: 0, expected: 0, held: 0, heldShare: null, relationships: [] };

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
  t.same(before.progress, { goalsTracked: 2, goalsOnTrack: 2, onTrackShare: 1, tasks: { done: 0, total: 8 }, sessions }, 'at agreement nothing is behind yet');

  // Half the time passes: 50 of 100 days.
  clock.advance(50 * 86_400_000);
  await api.must('POST', `/v1/relationships/${ahead}/goals/${aheadGoal.id}/metrics/${aheadGoal.metrics[0].id}/readings`, { value: 4 });
  await api.must('POST', `/v1/relationships/${behind}/goals/${behindGoal.id}/metrics/${behindGoal.metrics[0].id}/readings`, { value: 7 });
  await api.must('POST', `/v1/relationships/${ahead}/goals/${aheadGoal.id}/tasks/${aheadGoal.tasks[0].id}/complete`);
  const half = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(half.progress, { goalsTracked: 2, goalsOnTrack: 1, onTrackShare: 0.5, tasks: { done: 1, total: 8 }, sessions }, 'down to 4 of 10 is ahead of half time; down to 7 is behind');

  // A dropped goal leaves both counts; its tasks no longer count either.
  await api.must('POST', `/v1/relationships/${behind}/goals/${behindGoal.id}/drop`, { reason: 'The team was reorganised.' });
  const dropped = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(dropped.progress, { goalsTracked: 1, goalsOnTrack: 1, onTrackShare: 1, tasks: { done: 1, total: 6 }, sessions });

  const empty = await api.must('POST', '/v1/programmes', { name: 'Nothing yet' });
  t.same((await api.must('GET', `/v1/programmes/${empty.id}/report`)).progress, { goalsTracked: 0, goalsOnTrack: 0, onTrackShare: null, tasks: { done: 0, total: 0 }, sessions });
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

t.test('sessions held against the agreed rhythm, expanded in each time zone across daylight-saving changes', async (t) => {
  const org = uniqueOrg('report-rhythm');
  const api = client(app, auth({ org }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Rhythm programme' });
  clock.set(new Date('2027-10-19T12:00:00Z'));
  const open = async (rhythm?: object) => {
    const mentor = await api.must('POST', '/v1/people', personInput());
    const mentee = await api.must('POST', '/v1/people', personInput());
    const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
    await api.must('PUT', `/v1/relationships/${rel.id}/agreement`, { ...agreementInput(), ...(rhythm ? { rhythm } : {}) });
    return rel.id as string;
  };
  const held = (rel: string, heldAt: string) => api.must('POST', `/v1/relationships/${rel}/sessions`, { kind: 'regular', heldAt, minutes: 45 });
  const report = async () => (await api.must('GET', `/v1/programmes/${programme.id}/report`)).progress.sessions;
  /** The report's sessions: totals, then each pair as [relationship, expected, held], furthest behind first. */
  const against = (expected: number, held: number, heldShare: number | null, ...pairs: [string, number, number][]) => ({
    relationshipsWithRhythm: 3,
    expected,
    held,
    heldShare,
    relationships: pairs.map(([relationshipId, e, h]) => ({ relationshipId, expected: e, held: h })),
  });
  // London leaves summer time on 31 October 2027, New York on 7 November: 16:00 and 10:00 on the wall stay put.
  const london = await open({ rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2027-10-19T16:00', minutes: 45 });
  const newYork = await open({ rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'America/New_York', startsAt: '2027-10-19T10:00', minutes: 45 });
  const ended = await open({ rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2027-10-19T16:00', minutes: 45 });
  await open();

  t.same(await report(), against(0, 0, null, ...[london, newYork, ended].sort().map((id): [string, number, number] => [id, 0, 0])), 'nothing expected before the first session');

  clock.set(new Date('2027-10-19T17:00:00Z'));
  await held(london, '2027-10-19T15:05:00Z');
  await held(newYork, '2027-10-19T14:00:00Z');
  await api.must('POST', `/v1/relationships/${ended}/transitions`, { to: 'withdrawn', reason: 'moved on' });

  // 15:30 UTC on 2 November: London's third Tuesday session is at 16:00 UTC now (GMT), not yet due;
  // New York is still on summer time, its third session was at 14:00 UTC.
  clock.set(new Date('2027-11-02T15:30:00Z'));
  await held(london, '2027-10-26T15:00:00Z');
  t.same(await report(), against(6, 3, 0.5, [newYork, 3, 1], [ended, 1, 0], [london, 2, 2]), 'London expects 2 by 15:30 UTC (its 16:00 is 16:00 UTC after the change); the withdrawn pair stops counting when it ended');

  // A week on both zones are on winter time. London met more often than agreed: that does not make up for New York's gap.
  clock.set(new Date('2027-11-09T15:30:00Z'));
  await held(london, '2027-10-28T15:00:00Z');
  await held(london, '2027-11-02T16:00:00Z');
  const rest = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.same(rest.progress.sessions, against(8, 5, 0.5, [newYork, 4, 1], [ended, 1, 0], [london, 3, 4]), "New York's 10:00 EST on 9 November (15:00 UTC) is due; London's 16:00 is not");

  const graph = await gql(app, auth({ org })).must(
    `query ($id: ID!) { programmeReport(id: $id) { programmeId progress { goalsTracked tasks { done total } sessions { relationshipsWithRhythm expected held heldShare relationships { relationshipId expected held } } } quiet { count } } }`,
    { id: programme.id },
  );
  t.same(graph.programmeReport.progress.sessions, rest.progress.sessions, 'GraphQL reports the same');
  t.equal(graph.programmeReport.programmeId, programme.id);
  const foreign = await gql(app, auth({ org: uniqueOrg('report-rhythm-other') })).call(`query ($id: ID!) { programmeReport(id: $id) { programmeId } }`, { id: programme.id });
  t.same(foreign.data, { programmeReport: null });
  t.equal(foreign.errors?.[0]?.extensions.code, 'NOT_FOUND', "another organisation's programme has no report");
});
