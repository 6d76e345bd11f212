import t, { type Test } from 'tap';
import type { App } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { personInput } from '../helpers/fixtures.ts';
import { buildSecondInstance } from '../helpers/second-instance.ts';
import { ACCEPT_FIT, CREATE_PERSON, OPEN_RELATIONSHIP, TRANSITION } from './documents.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';
import { connectSubscriptions, type SubscriptionClient } from './ws-client.ts';

const first = await buildTestApp(t);
const { app, auth } = first;
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

const STAGE_CHANGED = /* GraphQL */ `
  subscription ($programmeId: ID!) {
    relationshipStageChanged(programmeId: $programmeId) {
      eventId relationshipId programmeId from to stage status version reason actor
      relationship { id stage version mentor { name } }
    }
  }
`;

async function subscriber(t: Test, headers: { authorization: string }, programmeId: string, id = 'stage') {
  const client = await connectSubscriptions(url, headers);
  t.teardown(() => client.close());
  t.equal(client.refused, null, 'the connection is accepted');
  client.subscribe(id, STAGE_CHANGED, { programmeId });
  return client;
}

/**
 * Waits until the subscription is live: declines fresh probe relationships in the programme until
 * one is heard. Subscribing has no acknowledgement in graphql-transport-ws, so this is the one
 * sure sign the server side is listening.
 */
async function untilLive(t: Test, client: SubscriptionClient, api: ReturnType<typeof gql>, programmeId: string, menteeId?: string) {
  const probes = new Set<string>();
  for (let attempt = 0; attempt < 40; attempt++) {
    const { createPerson: mentor } = await api.must(CREATE_PERSON, { input: personInput() });
    const mentee = menteeId ?? (await api.must(CREATE_PERSON, { input: personInput() })).createPerson.id;
    const { openRelationship: probe } = await api.must(OPEN_RELATIONSHIP, { input: { programmeId, mentorId: mentor.id, menteeId: mentee } });
    probes.add(probe.id);
    await api.must(TRANSITION, { id: probe.id, input: { to: 'declined' } });
    const heard = await client.next('stage', 250);
    if (heard) {
      t.equal(heard.type, 'next', 'the probe is heard');
      t.ok(probes.has(heard.payload.data.relationshipStageChanged.relationshipId));
      // Drain the other probes still in flight, so the next message is the one under test.
      while (await client.next('stage', 300));
      return;
    }
  }
  throw new Error('The subscription never went live.');
}

async function openAccepted(api: ReturnType<typeof gql>, programmeId?: string) {
  const pair = await seedPair(api, programmeId);
  await api.must(ACCEPT_FIT, { id: pair.relationship.id, party: 'mentor' });
  await api.must(ACCEPT_FIT, { id: pair.relationship.id, party: 'mentee' });
  return pair;
}

const toNegotiation = (target: App, headers: { authorization: string }, id: string) =>
  gql(target, headers).must(TRANSITION, { id, input: { to: 'negotiation', reason: 'ready' } });

t.test('a subscriber hears the stage changes of its programme, with the relationship resolved', async (t) => {
  const org = uniqueOrg('sub');
  const headers = auth({ org, roles: ['manager'] });
  const api = gql(app, auth({ org }));
  const pair = await openAccepted(api);
  const client = await subscriber(t, headers, pair.programme.id);
  await untilLive(t, client, api, pair.programme.id);

  await toNegotiation(app, auth({ org }), pair.relationship.id);
  const message = await client.next('stage');
  t.equal(message?.type, 'next');
  t.match(message?.payload.data.relationshipStageChanged, {
    relationshipId: pair.relationship.id,
    programmeId: pair.programme.id,
    from: 'initiation',
    to: 'negotiation',
    stage: 'negotiation',
    status: 'active',
    reason: 'ready',
    relationship: { id: pair.relationship.id, stage: 'negotiation', mentor: { name: pair.mentor.name } },
  });
  t.notOk(message?.payload.errors);
});

t.test('a member hears only of the relationships they are a party to', async (t) => {
  const org = uniqueOrg('sub-member');
  const admin = gql(app, auth({ org }));
  const mine = await openAccepted(admin);
  const theirs = await openAccepted(admin, mine.programme.id);
  const client = await subscriber(t, auth({ org, roles: ['member'], sub: mine.mentee.id }), mine.programme.id);
  await untilLive(t, client, admin, mine.programme.id, mine.mentee.id);

  await toNegotiation(app, auth({ org }), theirs.relationship.id);
  await toNegotiation(app, auth({ org }), mine.relationship.id);
  const message = await client.next('stage');
  t.equal(message?.payload.data.relationshipStageChanged.relationshipId, mine.relationship.id, "the other pair's change was not heard");
  t.equal(await client.next('stage', 500), null, 'and nothing else');
});

t.test("another organisation's programme cannot be subscribed to, and nothing leaks", async (t) => {
  const org = uniqueOrg('sub-owner');
  const pair = await openAccepted(gql(app, auth({ org })));
  const outsider = await subscriber(t, auth({ org: uniqueOrg('sub-outsider') }), pair.programme.id);
  const refusal = await outsider.next('stage');
  t.equal(refusal?.type, 'error');
  t.equal(refusal?.payload[0].extensions.code, 'NOT_FOUND');

  const owner = await subscriber(t, auth({ org }), pair.programme.id);
  await untilLive(t, owner, gql(app, auth({ org })), pair.programme.id);
  await toNegotiation(app, auth({ org }), pair.relationship.id);
  t.equal((await owner.next('stage'))?.type, 'next', 'the owner hears the change');
  t.equal(await outsider.next('stage', 500), null, 'the outsider hears nothing');
});

t.test('subscriptions are validated like queries, depth and cost limits included', async (t) => {
  const org = uniqueOrg('sub-invalid');
  const pair = await seedPair(gql(app, auth({ org })));
  const client = await connectSubscriptions(url, auth({ org }));
  t.teardown(() => client.close());
  client.subscribe('unknown', 'subscription ($p: ID!) { relationshipStageChanged(programmeId: $p) { salary } }', { p: pair.programme.id });
  const unknown = await client.next('unknown');
  t.equal(unknown?.type, 'error');
  t.equal(unknown?.payload[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  const deep = 'relationship { goals { relationship { goals { relationship { nextStages { blockers { code } } } } } } }';
  client.subscribe('deep', `subscription ($p: ID!) { relationshipStageChanged(programmeId: $p) { ${deep} } }`, { p: pair.programme.id });
  t.equal((await client.next('deep'))?.payload[0].extensions.code, 'QUERY_TOO_DEEP');
});

t.test('an integration client needs relationships:read to subscribe', async (t) => {
  const org = uniqueOrg('sub-scope');
  const pair = await seedPair(gql(app, auth({ org })));
  const token = signDevelopmentToken(first.config, { org, roles: ['integration'], sub: 'programmes-only', scope: 'programmes:read' });
  const client = await connectSubscriptions(url, { authorization: `Bearer ${token}` });
  t.teardown(() => client.close());
  client.subscribe('stage', STAGE_CHANGED, { programmeId: pair.programme.id });
  const refusal = await client.next('stage');
  t.equal(refusal?.type, 'error');
  t.equal(refusal?.payload[0].extensions.code, 'FORBIDDEN');
});

t.test('a WebSocket without a valid token is refused', async (t) => {
  for (const params of [null, { authorization: 'Bearer not-a-token' }]) {
    const client = await connectSubscriptions(url, params);
    t.teardown(() => client.close());
    t.not(client.refused, null, `refused: ${JSON.stringify(params)}`);
  }
});

const twoInstances = process.env.TEST_DATABASE_URL ? false : 'two instances need PostgreSQL (set TEST_DATABASE_URL); PGlite is one connection in one process';
t.test('a change made on another instance reaches subscribers here', { skip: twoInstances }, async (t) => {
  const other = await buildSecondInstance(t, first);
  const org = uniqueOrg('sub-cross');
  const pair = await openAccepted(gql(app, auth({ org })));
  const client = await subscriber(t, auth({ org }), pair.programme.id);
  const outsider = await subscriber(t, auth({ org: uniqueOrg('sub-cross-outsider') }), pair.programme.id);
  t.equal((await outsider.next('stage'))?.payload[0].extensions.code, 'NOT_FOUND');
  await untilLive(t, client, gql(app, auth({ org })), pair.programme.id);

  await toNegotiation(other.app, auth({ org }), pair.relationship.id);
  const message = await client.next('stage');
  t.equal(message?.type, 'next', 'the event crossed instances through PostgreSQL');
  t.match(message?.payload.data.relationshipStageChanged, { relationshipId: pair.relationship.id, stage: 'negotiation', relationship: { stage: 'negotiation' } });
  t.equal(await outsider.next('stage', 500), null, "another organisation's subscriber hears nothing");
});
