import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, smartGoalInput } from '../helpers/fixtures.ts';
import { AGREE_GOAL, CREATE_GOAL, CREATE_PROGRAMME, RELATIONSHIP_SCREEN, SET_AGREEMENT, TRANSITION, UPDATE_GOAL } from './documents.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';

// Domain refusals arrive as GraphQL errors with the domain's code and details, and change nothing.
const { app, auth } = await buildTestApp(t);

const readBack = async (api: ReturnType<typeof gql>, id: string) => (await api.must(RELATIONSHIP_SCREEN, { id })).relationship;

t.test('bad input is BAD_USER_INPUT naming each field, and nothing changes', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('bad-input') }));
  const { relationship, goal } = await seedPair(api);
  const before = await readBack(api, relationship.id);

  const blankTitle = await api.refusal(CREATE_GOAL, { id: relationship.id, input: smartGoalInput({ title: '   ', dueOn: 'next tuesday' }) });
  t.equal(blankTitle.extensions.code, 'BAD_USER_INPUT');
  t.same(blankTitle.extensions.errors.map((e: { path: string }) => e.path).sort(), ['dueOn', 'title']);
  t.same(blankTitle.path, ['createGoal']);

  const nullTitle = await api.refusal(UPDATE_GOAL, { id: relationship.id, goalId: goal.id, input: { title: null } });
  t.equal(nullTitle.extensions.code, 'BAD_USER_INPUT', 'an update may not clear a required field');

  const badAgreement = await api.refusal(SET_AGREEMENT, { id: relationship.id, agreement: { ...agreementInput(), mentorCanHelpWith: [] } });
  t.equal(badAgreement.extensions.code, 'BAD_USER_INPUT');
  t.same(badAgreement.extensions.errors.map((e: { path: string }) => e.path), ['mentorCanHelpWith']);

  const malformedId = await api.refusal(TRANSITION, { id: 'not-a-uuid', input: { to: 'negotiation' } });
  t.equal(malformedId.extensions.code, 'BAD_USER_INPUT');
  t.same(malformedId.extensions.errors, [{ path: 'relationshipId', message: 'must be a UUID' }]);

  const withdrawWithoutReason = await api.refusal(TRANSITION, { id: relationship.id, input: { to: 'withdrawn' } });
  t.equal(withdrawWithoutReason.extensions.code, 'BAD_USER_INPUT');

  const badProgramme = await api.refusal(CREATE_PROGRAMME, {
    input: { name: 'Broken', stageModel: { key: 'x', name: 'Broken model', start: 'a', stages: ['a', 'b'], transitions: [{ from: 'a', to: 'b', guards: ['vibes'] }] } },
  });
  t.equal(badProgramme.extensions.code, 'BAD_USER_INPUT', 'an unsound custom model is refused with its problems');
  t.ok(badProgramme.extensions.errors.length > 0);

  t.same(await readBack(api, relationship.id), before, 'the relationship, its goals and history are as they were');
  t.same((await api.must('{ programmes(first: 100) { nodes { name } } }')).programmes.nodes, [{ name: 'Seeded programme' }]);
});

t.test('refused moves carry what is allowed or what blocks them', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('moves') }));
  const { relationship } = await seedPair(api);
  const nowhere = await api.refusal(TRANSITION, { id: relationship.id, input: { to: 'closure' } });
  t.equal(nowhere.extensions.code, 'TRANSITION_NOT_ALLOWED');
  t.same(nowhere.extensions.allowed, ['negotiation', 'declined', 'withdrawn']);
  const blocked = await api.refusal(TRANSITION, { id: relationship.id, input: { to: 'negotiation' } });
  t.equal(blocked.extensions.code, 'TRANSITION_BLOCKED');
  t.match(blocked.extensions.blockers[0], { code: String, message: String, guard: 'both_accepted' });
  t.equal((await readBack(api, relationship.id)).stage, 'initiation');
});

t.test('a stale expectedVersion is VERSION_CONFLICT and changes nothing', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('version') }));
  const { relationship } = await seedPair(api);
  const { setAgreement } = await api.must(SET_AGREEMENT, { id: relationship.id, agreement: agreementInput(), expectedVersion: relationship.version });
  t.equal(setAgreement.version, relationship.version + 1);
  const stale = await api.refusal(SET_AGREEMENT, { id: relationship.id, agreement: { ...agreementInput(), contactChannel: 'Carrier pigeon' }, expectedVersion: relationship.version });
  t.equal(stale.extensions.code, 'VERSION_CONFLICT');
  t.equal(stale.extensions.currentVersion, relationship.version + 1);
  t.equal((await readBack(api, relationship.id)).agreement.contactChannel, agreementInput().contactChannel);
});

t.test('a goal that fails SMART cannot be agreed: SMART_FAILED with the report', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('smart') }));
  const { relationship } = await seedPair(api);
  const { createGoal: vague } = await api.must(CREATE_GOAL, { id: relationship.id, input: { title: 'Get better', outcome: 'improve' } });
  const refused = await api.refusal(AGREE_GOAL, { id: relationship.id, goalId: vague.id });
  t.equal(refused.extensions.code, 'SMART_FAILED');
  t.equal(refused.extensions.report.passed, false);
  t.equal(refused.extensions.report.letters.measurable.passed, false);
  const { smartCheck } = await api.must(
    `query ($input: SmartCheckInput!) { smartCheck(input: $input) { passed letters { measurable { passed failures { code } } } } }`,
    { input: { goal: { title: 'Get better', outcome: 'improve' }, relationshipId: relationship.id } },
  );
  const codesOf = (letter: { passed: boolean; failures: { code: string }[] }) => ({ passed: letter.passed, codes: letter.failures.map((f) => f.code) });
  t.same(codesOf(smartCheck.letters.measurable), codesOf(refused.extensions.report.letters.measurable), 'smartCheck explains the same way, without saving');
  t.equal((await readBack(api, relationship.id)).goals.find((g: { id: string }) => g.id === vague.id).status, 'draft');
});

t.test('what a role may not do is FORBIDDEN', async (t) => {
  const org = uniqueOrg('forbidden');
  const { relationship, mentee } = await seedPair(gql(app, auth({ org })));
  const member = gql(app, auth({ org, roles: ['member'], sub: mentee.id }));
  t.equal((await member.refusal(CREATE_PROGRAMME, { input: { name: 'Mine' } })).extensions.code, 'FORBIDDEN');
  const override = await gql(app, auth({ org, roles: ['manager'] })).refusal(TRANSITION, { id: relationship.id, input: { to: 'negotiation', override: true, reason: 'trust me' } });
  t.equal(override.extensions.code, 'FORBIDDEN', 'only admins override guards');
});
