import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, closingReflection, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import {
  ACCEPT_FIT,
  ACHIEVE_GOAL,
  AGREE_GOAL,
  COMPLETE_MILESTONE,
  CREATE_GOAL,
  CREATE_PERSON,
  CREATE_PROGRAMME,
  DROP_GOAL,
  LOG_SESSION,
  OPEN_RELATIONSHIP,
  RECORD_REFLECTION,
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
  await api.must(RECORD_REFLECTION, { id, input: closingReflection('mentor') });
  await api.must(RECORD_REFLECTION, { id, input: closingReflection('mentee') });
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

  // Editing an agreed goal sends it back to draft; agree it again with its action plan.
  const { updateGoal: edited } = await api.must(UPDATE_GOAL, { id, goalId: goal.id, input: { tasks: smartGoalInput().tasks } });
  t.equal(edited.status, 'draft');
  await api.must(AGREE_GOAL, { id, goalId: goal.id });
  t.equal((await api.must(TRANSITION, { id, input: { to: 'implementation' } })).transitionRelationship.stage, 'implementation');
  await api.must(TRANSITION, { id, input: { to: 'action_planning' } });
  await api.must(TRANSITION, { id, input: { to: 'implementation' } });
  await api.must(ACHIEVE_GOAL, { id, goalId: goal.id });
  await api.must(TRANSITION, { id, input: { to: 'closure' } });
  await api.must(RECORD_REFLECTION, { id, input: closingReflection('mentor') });
  await api.must(RECORD_REFLECTION, { id, input: closingReflection('mentee') });
  const { transitionRelationship: done } = await api.must(TRANSITION, { id, input: { to: 'completed' } });
  t.equal(done.status, 'completed');
  const { relationship: final } = await api.must(RELATIONSHIP_SCREEN, { id });
  t.same(
    final.history.map((h: { toStage: string }) => h.toStage),
    ['rapport', 'goal_setting', 'action_planning', 'implementation', 'action_planning', 'implementation', 'closure', 'closure'],
  );
});
