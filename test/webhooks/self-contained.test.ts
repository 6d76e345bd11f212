import t, { type Test } from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { manualClock } from './helpers/clock.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { testDispatcher, webhookApi } from './helpers/world.ts';

// Issue 28: an event says who moved. Every relationship event names the pair (id, HR externalId,
// name), the programme and the stage model; a stage change says which way it went and in which
// round; a person event names the person's externalId. An endpoint may opt out of names.
const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock });

type Message = { type: string; data: Record<string, unknown> };
const messages = (receiver: Receiver): Message[] => receiver.uniqueVerified().map((r) => r.message! as Message);

async function world(t: Test, label: string, stageModelKey: string) {
  const org = uniqueOrg(label);
  const headers = auth({ org, roles: ['admin'] });
  const api = client(app, headers);
  const hooks = webhookApi(app, headers);
  const [named, anonymous] = [await startReceiver({ now: time.clock }), await startReceiver({ now: time.clock })];
  t.teardown(() => Promise.all([named.close(), anonymous.close()]));
  named.secrets = [(await hooks.must('POST', '/v1/webhook-endpoints', { url: named.url })).secret];
  const optedOut = await hooks.must('POST', '/v1/webhook-endpoints', { url: anonymous.url, includeNames: false });
  t.equal(optedOut.includeNames, false, 'the endpoint keeps its choice of no names');
  anonymous.secrets = [optedOut.secret];
  const programme = await api.must('POST', '/v1/programmes', { name: `Programme ${label}`, stageModelKey });
  const mentor = await api.must('POST', '/v1/people', personInput({ name: 'Grace Hopper', externalId: `HR-M-${org}` }));
  const mentee = await api.must('POST', '/v1/people', personInput({ name: 'Ada Lovelace', externalId: `HR-E-${org}` }));
  const relationship = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  const move = (to: string) => api.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to, override: true, reason: `Moved to ${to} for the test` });
  const deliver = async () => {
    time.advance(1000);
    await dispatcher.drain();
  };
  const pair = {
    mentor: { id: mentor.id, externalId: mentor.externalId, name: 'Grace Hopper' },
    mentee: { id: mentee.id, externalId: mentee.externalId, name: 'Ada Lovelace' },
    programme: { id: programme.id, name: programme.name },
    stageModel: stageModelKey,
  };
  return { org, api, named, anonymous, relationship, mentor, move, deliver, pair };
}

/** The stage changes a receiver got (deliveries run side by side: put in order by version), as (from → to, direction, round). */
const moves = (received: Message[]) =>
  received
    .filter((m) => m.type === 'relationship.stage_changed')
    .sort((a, b) => (a.data.version as number) - (b.data.version as number))
    .map((m) => `${m.data.from}→${m.data.to} ${m.data.direction} round ${m.data.round}`);

t.test('classic-4 with two loops back: every event names the pair, the programme and the model; each move its direction and round', async (t) => {
  const w = await world(t, 'classic-loops', 'classic-4');
  for (const to of ['negotiation', 'growth', 'negotiation', 'growth', 'closure', 'negotiation', 'withdrawn']) await w.move(to);
  await w.deliver();
  const received = messages(w.named);
  t.same(moves(received), [
    'initiation→negotiation forward round 1',
    'negotiation→growth forward round 1',
    'growth→negotiation back round 2',
    'negotiation→growth forward round 2',
    'growth→closure forward round 2',
    'closure→negotiation back round 3',
    'negotiation→withdrawn exit round 3',
  ]);
  const relationshipEvents = received.filter((m) => m.data.relationshipId === w.relationship.id);
  t.ok(relationshipEvents.length >= 9, `${relationshipEvents.length} relationship events`);
  for (const message of relationshipEvents) t.match(message.data, w.pair, `${message.type} names the pair, the programme and the model`);
  const loopBack = received.find((m) => m.type === 'relationship.stage_changed' && m.data.direction === 'back')!;
  t.comment(`a loop back as a receiver gets it: ${JSON.stringify(loopBack)}`);

  const anonymous = messages(w.anonymous);
  t.equal(anonymous.length, received.length, 'the endpoint without names gets every event too');
  for (const message of anonymous.filter((m) => m.data.relationshipId === w.relationship.id)) {
    t.same(message.data.mentor, { id: w.pair.mentor.id, externalId: w.pair.mentor.externalId }, `${message.type}: the mentor by id and externalId only`);
    t.same(message.data.mentee, { id: w.pair.mentee.id, externalId: w.pair.mentee.externalId }, `${message.type}: the mentee too`);
  }
  t.notOk(JSON.stringify(anonymous).includes('Ada Lovelace') || JSON.stringify(anonymous).includes('Grace Hopper'), 'no name anywhere in its messages');

  const polled = await w.api.must('GET', '/v1/events?limit=100');
  for (const event of polled.items as { type: string; data: Record<string, unknown> }[]) {
    if (event.data.relationshipId === w.relationship.id) t.match(event.data, w.pair, `GET /v1/events: ${event.type} names them as well`);
  }
});

t.test('five-stage with loops back from implementation and closure', async (t) => {
  const w = await world(t, 'five-loops', 'five-stage');
  for (const to of ['goal_setting', 'action_planning', 'implementation', 'action_planning', 'implementation', 'closure', 'goal_setting', 'action_planning', 'implementation', 'goal_setting']) {
    await w.move(to);
  }
  await w.deliver();
  t.same(moves(messages(w.named)), [
    'rapport→goal_setting forward round 1',
    'goal_setting→action_planning forward round 1',
    'action_planning→implementation forward round 1',
    'implementation→action_planning back round 2',
    'action_planning→implementation forward round 2',
    'implementation→closure forward round 2',
    'closure→goal_setting back round 3',
    'goal_setting→action_planning forward round 3',
    'action_planning→implementation forward round 3',
    'implementation→goal_setting back round 4',
  ]);
  for (const message of messages(w.named).filter((m) => m.data.relationshipId)) t.match(message.data, w.pair, `${message.type} names the pair and five-stage`);
});

t.test("a person event names the person's externalId", async (t) => {
  const w = await world(t, 'person-event', 'classic-4');
  await w.api.must('GET', `/v1/people/${w.mentor.id}/export`);
  await w.deliver();
  const exported = messages(w.named).find((m) => m.type === 'person.exported');
  t.match(exported?.data, { personId: w.mentor.id, externalId: w.pair.mentor.externalId });
});

t.test('erasing a person takes their name and HR id out of the events already written', async (t) => {
  const w = await world(t, 'erased-names', 'classic-4');
  await w.move('negotiation');
  const before = JSON.stringify((await w.api.must('GET', '/v1/events?limit=100')).items);
  t.ok(before.includes('Ada Lovelace') && before.includes(w.pair.mentee.externalId), 'the events name the mentee');
  await w.api.must('POST', `/v1/people/${w.pair.mentee.id}/erase`);
  const after = (await w.api.must('GET', '/v1/events?limit=100')).items as { type: string; data: Record<string, unknown> }[];
  t.notOk(JSON.stringify(after).includes('Ada Lovelace'), 'her name is in no event');
  t.notOk(JSON.stringify(after).includes(w.pair.mentee.externalId), 'nor her HR id');
  const moved = after.find((e) => e.type === 'relationship.stage_changed')!;
  t.match(moved.data.mentee, { id: w.pair.mentee.id, externalId: null }, 'her Tandem id stays, as in the rest of the data');
  t.match(moved.data.mentor, w.pair.mentor, 'the mentor is untouched');
});

t.test('a move whose event outweighs a database announcement still succeeds, and its event is whole', async (t) => {
  // Names and a 2,000-character reason in a three-byte script: about 9 kB of payload, past the
  // 8,000 bytes PostgreSQL allows one NOTIFY.
  const org = uniqueOrg('heavy-event');
  const api = client(app, auth({ org, roles: ['admin'] }));
  const programme = await api.must('POST', '/v1/programmes', { name: '計'.repeat(200) });
  const mentor = await api.must('POST', '/v1/people', personInput({ name: '師'.repeat(200) }));
  const mentee = await api.must('POST', '/v1/people', personInput({ name: '生'.repeat(200) }));
  const reason = '理'.repeat(2000);
  for (const to of ['withdrawn', 'declined']) {
    const relationship = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
    const moved = await api.call('POST', `/v1/relationships/${relationship.id}/transitions`, { to, reason });
    t.equal(moved.status, 200, `the move to ${to} is made`);
    const events = (await api.must('GET', '/v1/events?limit=100')).items as { type: string; data: Record<string, unknown> }[];
    const changed = events.find((e) => e.type === 'relationship.stage_changed' && e.data.relationshipId === relationship.id);
    t.equal(changed?.data.reason, reason, 'the event keeps the whole reason');
    t.match(changed?.data.mentee, { name: '生'.repeat(200) }, 'and the names');
  }
});
