import t from 'tap';
import type { Actor } from '../../src/domain/context.ts';
import { createLoadMemo } from '../../src/domain/loaders.ts';
import { createServices } from '../../src/domain/services.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, smartGoalInput } from '../helpers/fixtures.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';

// The batch loads of one read-only GraphQL request share what they read (src/domain/loaders.ts LoadMemo,
// attached by src/graphql/request-memo.ts). Shared reads must never outlive the request, serve a value
// from before a change, or stand in for a check they do not imply.
const { app, auth, database } = await buildTestApp(t);
const services = createServices({ db: database.db, clock: () => new Date() });

const GOALS = /* GraphQL */ `
  query ($id: ID!) { relationship(id: $id) { goals { id } sessions { id } nextStages { stage } } }
`;

t.test('a mutation request reads what each change left, not what an earlier field read', async (t) => {
  const org = uniqueOrg('memo-mutation');
  const api = gql(app, auth({ org }));
  const pair = await seedPair(api);
  const data = await api.must(
    `mutation ($id: ID!, $agreement: AgreementInput!, $goal: GoalDraftInput!, $session: LogSessionInput!) {
      agreed: setAgreement(relationshipId: $id, agreement: $agreement) { goals { id } sessions { id } programme { id } nextStages { stage } }
      goal: createGoal(relationshipId: $id, input: $goal) { id relationship { id goals { id } sessions { id } } }
      session: logSession(relationshipId: $id, input: $session) { id relationship { id goals { id } sessions { id } } }
    }`,
    {
      id: pair.relationship.id,
      agreement: agreementInput(),
      goal: smartGoalInput({ title: 'A second goal' }),
      session: { kind: 'discovery', heldAt: new Date().toISOString(), minutes: 30 },
    },
  );
  t.same(
    data.agreed.goals.map((goal: { id: string }) => goal.id),
    [pair.goal.id],
    'the first change sees the one goal',
  );
  t.same(data.agreed.sessions, []);
  t.same(data.goal.relationship.goals.map((goal: { id: string }) => goal.id).sort(), [pair.goal.id, data.goal.id].sort(), 'the second sees the goal it made');
  t.same(data.session.relationship.sessions, [{ id: data.session.id }], 'the third the session it logged');
  t.equal(data.session.relationship.goals.length, 2);
});

t.test('a memo lives for one request: the next request reads again', async (t) => {
  const org = uniqueOrg('memo-request');
  const api = gql(app, auth({ org }));
  const pair = await seedPair(api);
  const first = await api.must(GOALS, { id: pair.relationship.id });
  t.equal(first.relationship.goals.length, 1);
  await services.createGoal({ org, roles: ['admin'], sub: 'seeder' }, { relationshipId: pair.relationship.id, goal: smartGoalInput() });
  await services.logSession({ org, roles: ['admin'], sub: 'seeder' }, { relationshipId: pair.relationship.id, session: { kind: 'discovery', heldAt: new Date().toISOString(), minutes: 20 } });
  const second = await api.must(GOALS, { id: pair.relationship.id });
  t.equal(second.relationship.goals.length, 2, 'the new goal is there');
  t.equal(second.relationship.sessions.length, 1, 'and the new session');
});

t.test("an organisation role's handed-down parents name nothing of another organisation", async (t) => {
  const theirs = await seedPair(gql(app, auth({ org: uniqueOrg('memo-theirs') })));
  const ours: Actor = { org: uniqueOrg('memo-ours'), roles: ['admin'], sub: 'ours' };
  const input = { relationshipIds: [theirs.relationship.id], parents: [theirs.relationship], memo: createLoadMemo(ours) };
  t.same(await services.loadGoalsByRelationships(ours, input), [], 'no goals');
  t.same(await services.loadSessionsByRelationships(ours, input), [], 'no sessions');
  t.same(await services.loadReflectionsByRelationships(ours, input), [], 'no reflections');
  t.same(await services.loadHistoryByRelationships(ours, input), [], 'no history');
  t.same(await services.loadNextStagesByRelationships(ours, input), [], 'no next stages');
  t.same(await services.loadRelationshipsByIds(ours, { ids: [theirs.relationship.id], memo: input.memo }), [], 'and the relationship itself is not there');
  t.same(await services.loadProgrammesByIds(ours, { ids: [theirs.programme.id], memo: input.memo }), [], 'nor its programme');
  t.same(await services.loadPeopleByIds(ours, { ids: [theirs.mentor.id], memo: input.memo }), [], 'nor its people');
});

t.test('loads that share a memo give what they give alone', async (t) => {
  const org = uniqueOrg('memo-same');
  const admin: Actor = { org, roles: ['admin'], sub: 'seeder' };
  const api = gql(app, auth({ org }));
  const first = await seedPair(api);
  const second = await seedPair(api, first.programme.id);
  const ids = [first.relationship.id, second.relationship.id];
  const parents = await services.loadRelationshipsByIds(admin, { ids });
  const memo = createLoadMemo(admin);
  // Overlapping batches side by side: the second asks for one id the first is still reading, and one more.
  const [goalsOfFirst, goalsOfBoth, nextOfBoth] = await Promise.all([
    services.loadGoalsByRelationships(admin, { relationshipIds: [first.relationship.id], memo }),
    services.loadGoalsByRelationships(admin, { relationshipIds: ids, memo }),
    services.loadNextStagesByRelationships(admin, { relationshipIds: ids, parents, memo }),
  ]);
  t.same(goalsOfFirst, await services.loadGoalsByRelationships(admin, { relationshipIds: [first.relationship.id] }));
  t.same(goalsOfBoth, await services.loadGoalsByRelationships(admin, { relationshipIds: ids }));
  t.same(nextOfBoth, await services.loadNextStagesByRelationships(admin, { relationshipIds: ids }), 'next stages from handed-down parents and shared reads are the same as read afresh');
  t.equal(nextOfBoth.length, 2);
  t.equal(memo.goals.size, 2, 'the memo holds both relationships');
});
