import t from 'tap';
import type { Actor } from '../../src/domain/context.ts';
import { createServices } from '../../src/domain/services.ts';
import { createRequestMemo, readThrough } from '../../src/graphql/request-memo.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, smartGoalInput } from '../helpers/fixtures.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';

// The field loads of one read-only GraphQL request share what they read (src/graphql/request-memo.ts).
// Shared reads must never outlive the request, serve a value from before a change, or stand in for a
// check they do not imply: the domain's batch loads check the caller whatever they are handed.
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

t.test("what an organisation role hands the batch loads names nothing of another organisation", async (t) => {
  const theirs = await seedPair(gql(app, auth({ org: uniqueOrg('memo-theirs') })));
  const ours: Actor = { org: uniqueOrg('memo-ours'), roles: ['admin'], sub: 'ours' };
  const ids = { relationshipIds: [theirs.relationship.id] };
  t.same(await services.loadGoalsByRelationships(ours, ids), [], 'no goals');
  t.same(await services.loadSessionsByRelationships(ours, ids), [], 'no sessions');
  t.same(await services.loadReflectionsByRelationships(ours, ids), [], 'no reflections');
  t.same(await services.loadHistoryByRelationships(ours, ids), [], 'no history');
  t.same(await services.loadNextStagesByRelationships(ours, { relationships: [theirs.relationship] }), [], 'no next stages');
  t.same(await services.loadRelationshipsByIds(ours, { ids: [theirs.relationship.id] }), [], 'and the relationship itself is not there');
  t.same(await services.loadProgrammesByIds(ours, { ids: [theirs.programme.id] }), [], 'nor its programme');
  t.same(await services.loadPeopleByIds(ours, { ids: [theirs.mentor.id] }), [], 'nor its people');
});

t.test('reads through a memo give what they give alone, and batches side by side share one read', async (t) => {
  const reads: string[][] = [];
  const read = async (keys: string[]) => {
    reads.push(keys);
    await new Promise((resolve) => setImmediate(resolve));
    return new Map(keys.map((key) => [key, key.toUpperCase()]));
  };
  const memo = createRequestMemo();
  const cache = memo.programmes as unknown as Map<string, Promise<Map<string, string>>>;
  // Overlapping batches side by side: the second asks for one key the first is still reading, and one more.
  const [first, both] = await Promise.all([readThrough(cache, ['a'], read), readThrough(cache, ['a', 'b', 'b'], read)]);
  t.same([...first].filter(([key]) => key === 'a'), [['a', 'A']]);
  t.same(
    ['a', 'b'].map((key) => both.get(key)),
    ['A', 'B'],
  );
  t.same(reads, [['a'], ['b']], 'each key read once, the one in flight shared');
  await readThrough(cache, ['b', 'a'], read);
  t.equal(reads.length, 2, 'and not again later in the request');
  t.same([...(await readThrough(undefined, ['a', 'a'], read))], [['a', 'A']], 'without a memo (a mutation) every load reads');
});

t.test('next stages from what a request read already are the same as read afresh', async (t) => {
  const org = uniqueOrg('memo-same');
  const admin: Actor = { org, roles: ['admin'], sub: 'seeder' };
  const api = gql(app, auth({ org }));
  const first = await seedPair(api);
  const second = await seedPair(api, first.programme.id);
  const ids = [first.relationship.id, second.relationship.id];
  const relationships = await services.loadRelationshipsByIds(admin, { ids });
  const programmes = await services.loadProgrammesByIds(admin, { ids: [first.programme.id] });
  const goals = services.loadGoalsByRelationships(admin, { relationshipIds: ids });
  const shared = await services.loadNextStagesByRelationships(admin, { relationships, programmes, goals });
  t.same(shared, await services.loadNextStagesByRelationships(admin, { relationships }), 'handed programmes and goals, or reading them itself');
  t.equal(shared.length, 2);
  const member: Actor = { org, roles: ['member'], sub: first.mentee.id };
  t.same(
    await services.loadNextStagesByRelationships(member, { relationships, programmes, goals }),
    shared.filter((entry) => entry.relationshipId === first.relationship.id),
    "a member handed both gets their own relationship's, the same as an admin's",
  );
});
