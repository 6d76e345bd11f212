import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, closingReflection, personInput, smartGoalInput } from '../helpers/fixtures.ts';

/** The closing reflection as GraphQL takes it: its own input, without a kind. */
const closingInput = (party: 'mentor' | 'mentee') => {
  const { kind: _kind, ...input } = closingReflection(party);
  return input;
};
import {
  ACCEPT_FIT,
  BATCH_UPSERT_PEOPLE,
  COMPLETE_TASK,
  PROGRESS_SCREEN,
  RECORD_READING,
  REOPEN_TASK,
  ACHIEVE_GOAL,
  AGREE_GOAL,
  COMPLETE_MILESTONE,
  CREATE_GOAL,
  CREATE_PERSON,
  CREATE_PROGRAMME,
  DROP_GOAL,
  LOG_SESSION,
  OPEN_RELATIONSHIP,
  RECORD_CLOSING_REFLECTION,
  RELATIONSHIP_SCREEN,
  SET_AGREEMENT,
  TRANSITION,
  UPDATE_GOAL,
  UPSERT_PERSON,
} from './documents.ts';
import { gql } from './gql-client.ts';

const { app, auth } = await buildTestApp(t);

type Coded = { code: string };
const codes = (blockers: Coded[]) => blockers.map((b) => b.code).sort();

t.test('a front end drives a classic-4 relationship from first contact to completion through mutations only', async (t) => {
  const org = uniqueOrg('gql-journey');
  const api = gql(app, auth({ org, roles: ['integration'], sub: 'hr-sync' }));
  const admin = gql(app, auth({ org, roles: ['admin'] }));

  const { upsertPerson: mentor } = await api.must(UPSERT_PERSON, { externalId: 'E-1', input: personInput({ name: 'Maya Mentor', skills: ['planning'] }) });
  const { upsertPerson: mentee } = await api.must(UPSERT_PERSON, { externalId: 'E-2', input: personInput({ name: 'Theo Mentee' }) });
  t.ok(mentor.created && mentee.created, 'HR sync creates both people');
  const { createProgramme: programme } = await admin.must(CREATE_PROGRAMME, { input: { name: 'Leadership 2027' } });
  t.equal(programme.stageModel.key, 'classic-4');

  const { openRelationship: opened } = await api.must(OPEN_RELATIONSHIP, {
    input: { programmeId: programme.id, mentorId: mentor.person.id, menteeId: mentee.person.id, aspiration: 'I want a promotion to team lead' },
  });
  t.match(opened, { stage: 'initiation', status: 'active', version: 1, mentor: { name: 'Maya Mentor' }, mentee: { name: 'Theo Mentee' } });
  const id = opened.id;
  const move = (to: string, extra: Record<string, unknown> = {}) => api.call(TRANSITION, { id, input: { to, ...extra } });

  const early = await move('negotiation');
  t.equal(early.status, 200, 'a refused mutation is still an executed request');
  t.same(early.data, { transitionRelationship: null });
  t.equal(early.errors?.[0]?.extensions.code, 'TRANSITION_BLOCKED');
  t.same(codes(early.errors?.[0]?.extensions.blockers), ['MENTEE_NOT_ACCEPTED', 'MENTOR_NOT_ACCEPTED']);

  await api.must(ACCEPT_FIT, { id, party: 'mentor' });
  await api.must(ACCEPT_FIT, { id, party: 'mentee' });
  t.equal((await api.must(TRANSITION, { id, input: { to: 'negotiation' } })).transitionRelationship.stage, 'negotiation');

  const blocked = await api.refusal(TRANSITION, { id, input: { to: 'growth' } });
  t.equal(blocked.extensions.code, 'TRANSITION_BLOCKED');
  t.same(codes(blocked.extensions.blockers), ['AGREEMENT_NOT_SET', 'NO_AGREED_GOAL']);
  const screen = await api.must(RELATIONSHIP_SCREEN, { id });
  const growth = screen.relationship.nextStages.find((m: { stage: string }) => m.stage === 'growth');
  t.match(growth, { allowed: false });
  t.same(codes(growth.blockers), ['AGREEMENT_NOT_SET', 'NO_AGREED_GOAL'], 'the screen shows what is missing, as the refusal did');

  await api.must(SET_AGREEMENT, { id, agreement: agreementInput() });
  const { createGoal: goal } = await api.must(CREATE_GOAL, { id, input: smartGoalInput() });
  t.equal(goal.milestones.length, 2);
  await api.must(AGREE_GOAL, { id, goalId: goal.id });
  t.equal((await api.must(TRANSITION, { id, input: { to: 'growth' } })).transitionRelationship.stage, 'growth');

  // New areas discovered: back to negotiation for a second goal, then on to growth again.
  await api.must(TRANSITION, { id, input: { to: 'negotiation', reason: 'Wants to work on public speaking too' } });
  const { createGoal: second } = await api.must(CREATE_GOAL, { id, input: smartGoalInput({ title: 'Speak at the engineering all-hands', focus: 'soft_skill' }) });
  await api.must(AGREE_GOAL, { id, goalId: second.id });
  await api.must(TRANSITION, { id, input: { to: 'growth' } });
  await api.must(LOG_SESSION, { id, input: { kind: 'regular', heldAt: new Date().toISOString(), minutes: 45, notes: null } });

  const celebrated = await api.must(COMPLETE_MILESTONE, { id, goalId: goal.id, milestoneId: goal.milestones[0].id });
  t.ok(celebrated.completeMilestone.milestones[0].doneAt);

  const unresolved = await api.refusal(TRANSITION, { id, input: { to: 'closure' } });
  t.equal(unresolved.extensions.blockers.filter((b: Coded) => b.code === 'GOAL_NOT_RESOLVED').length, 2);
  await api.must(ACHIEVE_GOAL, { id, goalId: goal.id });
  await api.must(DROP_GOAL, { id, goalId: second.id, reason: 'The all-hands was cancelled this year.' });
  await api.must(TRANSITION, { id, input: { to: 'closure' } });

  const noReflections = await api.refusal(TRANSITION, { id, input: { to: 'completed' } });
  t.same(codes(noReflections.extensions.blockers), ['MENTEE_REFLECTION_MISSING', 'MENTOR_REFLECTION_MISSING']);
  await api.must(RECORD_CLOSING_REFLECTION, { id, input: closingInput('mentor') });
  await api.must(RECORD_CLOSING_REFLECTION, { id, input: closingInput('mentee') });
  const { transitionRelationship: completed } = await api.must(TRANSITION, { id, input: { to: 'completed' } });
  t.equal(completed.status, 'completed');
  t.ok(completed.endedAt);

  const after = await api.refusal(TRANSITION, { id, input: { to: 'negotiation' } });
  t.equal(after.extensions.code, 'RELATIONSHIP_ENDED');
  t.equal(after.extensions.relationshipStatus, 'completed');
  t.same(after.extensions.allowed, []);

  const { relationship: final } = await api.must(RELATIONSHIP_SCREEN, { id });
  t.same(
    final.history.map((h: { toStage: string; toStatus: string }) => `${h.toStage}:${h.toStatus}`),
    ['initiation:active', 'negotiation:active', 'growth:active', 'negotiation:active', 'growth:active', 'closure:active', 'closure:completed'],
  );
  t.equal(final.history.at(-1).version, completed.version);
  t.same(final.goals.map((g: { status: string }) => g.status), ['achieved', 'dropped']);
  t.same(final.reflections.map((r: { authorParty: string }) => r.authorParty), ['mentor', 'mentee']);
  t.equal(final.sessions.length, 1);
  t.same(final.nextStages, [], 'a completed relationship has no moves left');
});

t.test('the five-stage model needs an action plan before implementation', async (t) => {
  const org = uniqueOrg('gql-five');
  const api = gql(app, auth({ org, roles: ['admin'] }));
  const { createProgramme: programme } = await api.must(CREATE_PROGRAMME, { input: { name: 'Graduate programme', stageModelKey: 'five-stage' } });
  const { createPerson: mentor } = await api.must(CREATE_PERSON, { input: personInput() });
  const { createPerson: mentee } = await api.must(CREATE_PERSON, { input: personInput() });
  const { openRelationship: rel } = await api.must(OPEN_RELATIONSHIP, {
    input: { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' },
  });
  t.equal(rel.stage, 'rapport');
  const id = rel.id;
  await api.must(ACCEPT_FIT, { id, party: 'mentor' });
  await api.must(ACCEPT_FIT, { id, party: 'mentee' });
  await api.must(TRANSITION, { id, input: { to: 'goal_setting' } });
  await api.must(SET_AGREEMENT, { id, agreement: agreementInput() });
  const { createGoal: goal } = await api.must(CREATE_GOAL, { id, input: smartGoalInput({ tasks: [] }) });
  await api.must(AGREE_GOAL, { id, goalId: goal.id });
  await api.must(TRANSITION, { id, input: { to: 'action_planning' } });

  const noPlan = await api.refusal(TRANSITION, { id, input: { to: 'implementation' } });
  t.equal(noPlan.extensions.code, 'TRANSITION_BLOCKED');
  t.same(codes(noPlan.extensions.blockers), ['GOAL_HAS_NO_TASKS']);
  t.equal(noPlan.extensions.blockers[0].target.id, goal.id);
  const { relationship: screen } = await api.must(RELATIONSHIP_SCREEN, { id });
  t.same(screen.nextStages.find((m: { stage: string }) => m.stage === 'implementation').blockers[0], {
    code: 'GOAL_HAS_NO_TASKS',
    message: noPlan.extensions.blockers[0].message,
    guard: 'action_plan_ready',
    target: { type: 'goal', id: goal.id },
  });

  // Action planning adds the tasks; the goal stays agreed, so the plan does not undo the goal setting.
  const tasks = [...smartGoalInput().tasks!, { title: 'Shadow a planning session', dueOn: smartGoalInput().milestones![0]!.dueOn }];
  const { updateGoal: planned } = await api.must(UPDATE_GOAL, { id, goalId: goal.id, input: { tasks } });
  t.equal(planned.status, 'agreed', 'planning the work keeps the goal agreed');
  t.equal(planned.reopened, null);
  t.equal((await api.must(TRANSITION, { id, input: { to: 'implementation' } })).transitionRelationship.stage, 'implementation');

  // Implementation: the work is done and the KPI checked in, through mutations.
  const [first, second] = planned.tasks;
  await api.must(COMPLETE_TASK, { id, goalId: goal.id, taskId: first.id, input: { note: 'Done, notes shared.' } });
  await api.must(COMPLETE_TASK, { id, goalId: goal.id, taskId: second.id });
  const { reopenTask: reopened } = await api.must(REOPEN_TASK, { id, goalId: goal.id, taskId: second.id, input: { note: 'Session moved to next month.' } });
  t.same(reopened.taskProgress, { done: 1, total: 2 });
  const metric = planned.metrics[0];
  const { recordMetricReading: checkIn } = await api.must(RECORD_READING, { id, goalId: goal.id, metricId: metric.id, input: { value: 1, note: 'Led the first one' } });
  t.equal(checkIn.reading.value, 1);
  const future = await api.refusal(RECORD_READING, { id, goalId: goal.id, metricId: metric.id, input: { value: 2, at: new Date(Date.now() + 3_600_000).toISOString() } });
  t.equal(future.extensions.code, 'BAD_USER_INPUT', 'a reading is never in the future');

  // The implementation stage shows task and KPI progress in one query.
  const { relationship: implementing } = await api.must(RELATIONSHIP_SCREEN, { id });
  t.equal(implementing.stage, 'implementation');
  t.match(implementing.goals[0], {
    status: 'agreed',
    taskProgress: { done: 1, total: 2 },
    tasks: [{ doneBy: 'test-admin', doneNote: 'Done, notes shared.' }, { doneAt: null, doneBy: null }],
    metrics: [{ id: metric.id, baseline: 0, target: 2, current: { value: 1, recordedBy: 'test-admin' }, progress: 0.5 }],
  });
  const { relationship: progress } = await api.must(PROGRESS_SCREEN, { id });
  t.match(progress.goals[0].metrics[0], { progress: 0.5, readings: [{ value: 1, note: 'Led the first one', recordedBy: 'test-admin' }] }, 'with the check-ins behind it');
  const badLast = await api.call(`query ($id: ID!) { relationship(id: $id) { goals { metrics { readings(last: 0) { value } } } } }`, { id });
  t.equal(badLast.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'readings(last:) is 1 to 100');

  // Moving a milestone's date changes agreed terms: back to draft, saying which; completions stay.
  const milestones = planned.milestones.map((m: { id: string; title: string; dueOn: string }, i: number) => ({ id: m.id, title: m.title, dueOn: i === 0 ? smartGoalInput().tasks![0]!.dueOn : m.dueOn }));
  const { updateGoal: redated } = await api.must(UPDATE_GOAL, { id, goalId: goal.id, input: { milestones } });
  t.equal(redated.status, 'draft');
  t.same(redated.reopened.because, ['milestoneDates']);
  t.same(redated.taskProgress, { done: 1, total: 2 }, 'the tasks keep their completion');
  t.equal(redated.metrics[0].current.value, 1, 'the metric its readings');
  await api.must(AGREE_GOAL, { id, goalId: goal.id });
  await api.must(TRANSITION, { id, input: { to: 'action_planning' } });
  await api.must(TRANSITION, { id, input: { to: 'implementation' } });
  await api.must(ACHIEVE_GOAL, { id, goalId: goal.id });
  await api.must(TRANSITION, { id, input: { to: 'closure' } });
  await api.must(RECORD_CLOSING_REFLECTION, { id, input: closingInput('mentor') });
  await api.must(RECORD_CLOSING_REFLECTION, { id, input: closingInput('mentee') });
  const { transitionRelationship: done } = await api.must(TRANSITION, { id, input: { to: 'completed' } });
  t.equal(done.status, 'completed');
  const { relationship: final } = await api.must(RELATIONSHIP_SCREEN, { id });
  t.same(
    final.history.map((h: { toStage: string }) => h.toStage),
    ['rapport', 'goal_setting', 'action_planning', 'implementation', 'action_planning', 'implementation', 'closure', 'closure'],
  );
});

t.test('HR sync upserts people in a batch through GraphQL, as POST /v1/people/batch does', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('gql-batch'), roles: ['integration'], sub: 'hr-sync' }));
  const people = [personInput({ externalId: 'B-1', name: 'Ada' }), personInput({ externalId: 'B-2', name: 'Ben' })];
  const { batchUpsertPeople: first } = await api.must(BATCH_UPSERT_PEOPLE, { people });
  t.match(first, { created: 2, updated: 0 });
  const { batchUpsertPeople: again } = await api.must(BATCH_UPSERT_PEOPLE, { people: [{ ...people[0], name: 'Ada L.' }] });
  t.match(again, { created: 0, updated: 1, people: [{ externalId: 'B-1', name: 'Ada L.' }] });
  const twice = await api.refusal(BATCH_UPSERT_PEOPLE, { people: [people[0], people[0]] });
  t.equal(twice.extensions.code, 'CONFLICT', 'the same externalId twice is refused, all or nothing');
});
