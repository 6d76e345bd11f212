import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, closingReflection, daysFromNow, personInput, smartGoalInput } from '../helpers/fixtures.ts';

const { app, auth, database } = await buildTestApp(t);

t.test('an HR platform drives a classic-4 relationship from first contact to completion', async (t) => {
  const org = uniqueOrg('journey');
  const api = client(app, auth({ org, roles: ['integration'], sub: 'hr-sync' }));

  const sync = await api.must('POST', '/v1/people/batch', {
    people: [personInput({ externalId: 'E-1', name: 'Maya Mentor', skills: ['planning'] }), personInput({ externalId: 'E-2', name: 'Theo Mentee' })],
  });
  t.equal(sync.created, 2);
  const [mentor, mentee] = sync.people;

  const admin = client(app, auth({ org, roles: ['admin'] }));
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Leadership 2027' });
  t.equal(programme.stageModel.key, 'classic-4');

  const opened = await api.call('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion to team lead' });
  t.equal(opened.status, 201);
  t.equal(opened.headers.location, `/v1/relationships/${opened.body.id}`);
  t.equal(opened.headers.etag, '"1"');
  const id = opened.body.id;
  t.equal(opened.body.stage, 'initiation');

  const early = await api.call('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  t.equal(early.status, 409);
  t.equal(early.body.type, '/problems/transition-blocked');
  t.same(early.body.blockers.map((b: { code: string }) => b.code).sort(), ['MENTEE_NOT_ACCEPTED', 'MENTOR_NOT_ACCEPTED']);

  await api.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentor' });
  await api.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentee' });
  const negotiation = await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  t.equal(negotiation.stage, 'negotiation');

  // A list page and a single read are separate statements: the relationship must read the same either way.
  const single = await api.must('GET', `/v1/relationships/${id}`);
  const listed = (await api.must('GET', `/v1/relationships?programmeId=${programme.id}`)).items.find((r: { id: string }) => r.id === id);
  t.ok(listed.mentorAcceptedAt && listed.stageEnteredAt, 'timestamps shown');
  t.same(listed, Object.fromEntries(Object.keys(listed).map((key) => [key, single[key]])), 'a listed relationship reads as it reads alone');

  const blocked = await api.call('POST', `/v1/relationships/${id}/transitions`, { to: 'growth' });
  t.equal(blocked.status, 409);
  t.same(blocked.body.blockers.map((b: { code: string }) => b.code).sort(), ['AGREEMENT_NOT_SET', 'NO_AGREED_GOAL']);
  const next = await api.must('GET', `/v1/relationships/${id}/next-stages`);
  t.match(next.moves.find((m: { stage: string }) => m.stage === 'growth'), { allowed: false });

  await api.must('PUT', `/v1/relationships/${id}/agreement`, agreementInput());
  const goal = await api.must('POST', `/v1/relationships/${id}/goals`, smartGoalInput());
  await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/agree`, {});
  const growth = await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'growth' });
  t.equal(growth.stage, 'growth');

  // New areas discovered: back to negotiation for a second goal, then on to growth again.
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation', reason: 'Wants to work on public speaking too' });
  const second = await api.must('POST', `/v1/relationships/${id}/goals`, smartGoalInput({ title: 'Speak at the engineering all-hands', focus: 'soft_skill' }));
  await api.must('POST', `/v1/relationships/${id}/goals/${second.id}/agree`, {});
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'growth' });

  const milestone = goal.milestones[0].id;
  const celebrated = await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/milestones/${milestone}/complete`);
  t.ok(celebrated.milestones[0].doneAt);

  const unresolved = await api.call('POST', `/v1/relationships/${id}/transitions`, { to: 'closure' });
  t.equal(unresolved.status, 409);
  t.equal(unresolved.body.blockers.filter((b: { code: string }) => b.code === 'GOAL_NOT_RESOLVED').length, 2);
  await api.must('POST', `/v1/relationships/${id}/goals/${goal.id}/achieve`, { achievedDespite: 'Promoted to team lead before the second milestone.' });
  await api.must('POST', `/v1/relationships/${id}/goals/${second.id}/drop`, { reason: 'The all-hands was cancelled this year.' });
  await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'closure' });

  const noReflections = await api.call('POST', `/v1/relationships/${id}/transitions`, { to: 'completed' });
  t.same(noReflections.body.blockers.map((b: { code: string }) => b.code).sort(), ['MENTEE_REFLECTION_MISSING', 'MENTOR_REFLECTION_MISSING']);
  await api.must('POST', `/v1/relationships/${id}/reflections`, closingReflection('mentor'));
  await api.must('POST', `/v1/relationships/${id}/reflections`, closingReflection('mentee'));
  const completed = await api.must('POST', `/v1/relationships/${id}/transitions`, { to: 'completed' });
  t.equal(completed.status, 'completed');
  t.ok(completed.endedAt);

  const after = await api.call('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  t.equal(after.status, 409);
  t.equal(after.body.type, '/problems/relationship-ended');
  t.equal(after.body.relationshipStatus, 'completed');

  const history = await api.must('GET', `/v1/relationships/${id}/transitions?limit=100`);
  t.same(
    history.items.map((h: { toStage: string; toStatus: string }) => `${h.toStage}:${h.toStatus}`),
    ['initiation:active', 'negotiation:active', 'growth:active', 'negotiation:active', 'growth:active', 'closure:active', 'closure:completed'],
  );
  const versions = history.items.map((h: { version: number }) => h.version);
  t.same(versions, [...versions].sort((a, b) => a - b), 'history versions increase');
  t.equal(versions.at(-1), completed.version);

  const report = await api.must('GET', `/v1/programmes/${programme.id}/report?inactiveDays=1`);
  t.same(report.relationships.byStage, [{ stage: 'closure', status: 'completed', count: 1 }]);
  t.match(report.goals, { total: 2, achieved: 1, dropped: 1, achievementRate: 0.5 });
  t.same(report.medianDaysInStage.map((s: { stage: string; stays: number }) => `${s.stage}×${s.stays}`), ['closure×1', 'growth×2', 'initiation×1', 'negotiation×2']);
  t.same(report.inactive, { days: 1, count: 0, relationshipIds: [] }, 'a completed relationship is not counted as quiet');
});

t.test('the five-stage model needs an action plan before implementation', async (t) => {
  const org = uniqueOrg('five');
  const api = client(app, auth({ org, roles: ['admin'] }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Graduate programme', stageModelKey: 'five-stage' });
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  t.equal(rel.stage, 'rapport');
  await api.must('POST', `/v1/relationships/${rel.id}/acceptances`, { party: 'mentor' });
  await api.must('POST', `/v1/relationships/${rel.id}/acceptances`, { party: 'mentee' });
  await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'goal_setting' });
  await api.must('PUT', `/v1/relationships/${rel.id}/agreement`, agreementInput());
  const goal = await api.must('POST', `/v1/relationships/${rel.id}/goals`, smartGoalInput({ tasks: [] }));
  await api.must('POST', `/v1/relationships/${rel.id}/goals/${goal.id}/agree`, {});
  await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'action_planning' });
  const noPlan = await api.call('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'implementation' });
  t.equal(noPlan.status, 409);
  t.same(noPlan.body.blockers.map((b: { code: string }) => b.code), ['GOAL_HAS_NO_TASKS']);
  t.equal(noPlan.body.blockers[0].target.id, goal.id);
  // Action planning plans the work: adding tasks to an agreed goal keeps it agreed (seed 001: tasks, resources, connections).
  const goalUrl = `/v1/relationships/${rel.id}/goals/${goal.id}`;
  const planned = await api.must('PATCH', goalUrl, {
    tasks: [
      { title: 'Read the planning handbook', dueOn: daysFromNow(20), resources: ['https://example.com/handbook'] },
      { title: 'Meet the current planning lead', dueOn: daysFromNow(40), resources: ['Ana, head of delivery'] },
    ],
  });
  t.equal(planned.status, 'agreed', 'planning tasks never un-agrees a goal');
  t.equal(planned.reopened, null);
  t.same(planned.taskProgress, { done: 0, total: 2 });
  const implementation = await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'implementation' });
  t.equal(implementation.stage, 'implementation');

  // Implementation: accountability. Tasks are done (who, when, a note), and a task done too early is reopened.
  const [handbook, meeting] = planned.tasks;
  const done1 = await api.must('POST', `${goalUrl}/tasks/${handbook.id}/complete`, { note: 'Read it twice; notes in our doc.' });
  t.same(done1.taskProgress, { done: 1, total: 2 });
  t.equal(done1.tasks[0].doneBy, 'test-admin');
  t.equal(done1.tasks[0].doneNote, 'Read it twice; notes in our doc.');
  t.equal(done1.status, 'agreed', 'doing the work keeps the goal agreed');
  const again = await api.must('POST', `${goalUrl}/tasks/${handbook.id}/complete`, { note: 'again' });
  t.equal(again.tasks[0].doneAt, done1.tasks[0].doneAt, 'completing twice changes nothing');
  const early = await api.must('POST', `${goalUrl}/tasks/${meeting.id}/complete`);
  t.same(early.taskProgress, { done: 2, total: 2 });
  const reopened = await api.must('POST', `${goalUrl}/tasks/${meeting.id}/reopen`, { note: 'The meeting was cancelled.' });
  t.same(reopened.taskProgress, { done: 1, total: 2 });
  t.equal(reopened.tasks[1].doneAt, null);
  t.equal(reopened.tasks[1].doneBy, null);
  const future = await api.call('POST', `${goalUrl}/tasks/${meeting.id}/complete`, { doneAt: new Date(Date.now() + 86_400_000).toISOString() });
  t.equal(future.status, 400, 'a task is never done in the future');

  // KPI check-ins: readings move the metric from baseline to target.
  const metric = planned.metrics[0];
  t.same([metric.current, metric.progress], [null, 0], 'before any reading the metric stands at its baseline');
  const first = await api.must('POST', `${goalUrl}/metrics/${metric.id}/readings`, { value: 1, note: 'Led the Q1 session' });
  t.equal(first.reading.value, 1);
  t.equal(first.goal.metrics[0].current.value, 1);
  t.equal(first.goal.metrics[0].progress, 0.5);
  t.equal(first.goal.status, 'agreed', 'a reading never un-agrees a goal');
  const backdated = await api.must('POST', `${goalUrl}/metrics/${metric.id}/readings`, { value: 0, at: new Date(Date.now() - 7 * 86_400_000).toISOString() });
  t.equal(backdated.goal.metrics[0].current.value, 1, 'the current value is the latest by when it was measured');
  const readings = await api.must('GET', `${goalUrl}/metrics/${metric.id}/readings?limit=1`);
  t.equal(readings.items.length, 1);
  t.ok(readings.nextCursor, 'readings page like every list');

  // Celebrate a milestone, then edit the goal: the completed milestone keeps its id and doneAt.
  const celebrated = await api.must('POST', `${goalUrl}/milestones/${planned.milestones[0].id}/complete`);
  const renamed = await api.must('PATCH', goalUrl, {
    title: 'Lead quarterly planning for the team',
    milestones: celebrated.milestones.map((m: { id: string; title: string; dueOn: string }) => ({ id: m.id, title: `${m.title}!`, dueOn: m.dueOn })),
  });
  t.equal(renamed.status, 'agreed', 'titles are not agreed terms');
  t.same(renamed.milestones.map((m: { id: string; doneAt: string | null }) => [m.id, m.doneAt]), celebrated.milestones.map((m: { id: string; doneAt: string | null }) => [m.id, m.doneAt]));

  // Moving the target is a change of agreed terms: back to draft, saying why; ids and history stay.
  const moved = await api.must('PATCH', goalUrl, { metrics: [{ id: metric.id, name: metric.name, baseline: 0, target: 3, unit: 'sessions' }] });
  t.equal(moved.status, 'draft');
  t.same(moved.reopened.because, ['metrics']);
  t.equal(moved.metrics[0].id, metric.id);
  t.equal(moved.metrics[0].current.value, 1, 'the metric keeps its readings');
  t.same(moved.taskProgress, { done: 1, total: 2 }, 'and the tasks their completion');
  const events = await database.rows<{ type: string; payload: Record<string, unknown> }>(
    sql`select type, payload from outbox_events where payload->>'goalId' = ${goal.id} order by seq`,
  );
  t.same(
    events.map((e) => e.type),
    ['goal.drafted', 'goal.agreed', 'goal.updated', 'task.completed', 'task.completed', 'task.reopened', 'metric.recorded', 'metric.recorded', 'milestone.completed', 'goal.updated', 'goal.updated'],
    'every step of the work is an event',
  );
  t.same(events.map((e) => e.payload.reopenedAgreement).filter(Boolean), [[], [], ['metrics']], 'the edit that reopened agreement says which terms did');
  t.ok(events.every((e) => typeof e.payload.version === 'number' && e.payload.version <= implementation.version), 'each carries the relationship version');
  const agreedAgain = await api.must('POST', `${goalUrl}/agree`, {});
  t.equal(agreedAgain.reopened, null, 'agreeing again closes the reopening');
  await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'action_planning' });
  await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'implementation' });
  await api.must('POST', `${goalUrl}/achieve`, { achievedDespite: 'Led the planning already; the readings were not kept.' });
  await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'closure' });
  await api.must('POST', `/v1/relationships/${rel.id}/reflections`, closingReflection('mentor'));
  await api.must('POST', `/v1/relationships/${rel.id}/reflections`, closingReflection('mentee'));
  const done = await api.must('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'completed' });
  t.equal(done.status, 'completed');
});
