import { sql } from 'drizzle-orm';
import t from 'tap';
import xapiValidation from 'xapi-validation';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { manualClock } from '../webhooks/helpers/clock.ts';
import { openRelationships, relationshipJourney, testDispatcher, webhookApi } from '../webhooks/helpers/world.ts';
import { startLrs } from './helpers/lrs.ts';

// The validator as an independent check of what arrived (Learning Locker's, conformance-tested).
const loaded = xapiValidation as unknown as ((s: unknown) => unknown[]) | { default: (s: unknown) => unknown[] };
const validate = typeof loaded === 'function' ? loaded : loaded.default;

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock, random: () => 0.5 });
const ADL = 'http://adlnet.gov/expapi/verbs/';
const HOME = 'https://www.example.com';
/** Statements per event type: the mentee's, and the mentor's too for a completion and a session. */
const PER_EVENT: Record<string, number> = {
  'relationship.stage_changed': 1,
  'relationship.completed': 2,
  'goal.agreed': 1,
  'goal.achieved': 1,
  'milestone.completed': 1,
  'task.completed': 1,
  'session.logged': 2,
  'session.held': 2,
};

async function setUp(label: string, lrsOptions: Record<string, unknown> = {}) {
  const org = uniqueOrg(label);
  const headers = auth({ org, roles: ['integration'], sub: 'lms-sync' });
  const lrs = await startLrs({ username: 'tandem', password: 's3cret-key' });
  t.teardown(() => lrs.close());
  const api = webhookApi(app, headers);
  const created = await api.call('POST', '/v1/lrs-configurations', { url: lrs.url, username: 'tandem', password: 's3cret-key', homePage: HOME, ...lrsOptions });
  return { org, headers, lrs, api, created };
}

const outboxOf = (org: string) => database.rows<{ id: string; type: string }>(sql`select id, type from outbox_events where org_id = ${org} order by seq`);

t.test("a completed relationship's journey arrives at the LRS: every statement valid, once each, idempotent on redelivery", async (t) => {
  const { org, headers, lrs, api, created } = await setUp('xapi-journey');
  t.equal(created.status, 201);
  t.equal(created.headers.location, `/v1/lrs-configurations/${created.body.id}`);
  t.notOk('password' in created.body, 'the password never comes back');
  t.match(created.body, { version: '1.0.3', actorFormat: 'account', homePage: HOME, enabled: true });
  t.same(created.body.eventTypes.sort(), Object.keys(PER_EVENT).sort(), 'no event types given: every type that has a statement');
  t.equal((await api.call('GET', `/v1/webhook-endpoints/${created.body.id}`)).status, 404, 'an LRS is not a webhook endpoint');
  t.same((await api.must('GET', '/v1/webhook-endpoints')).items, [], 'nor listed as one');

  const relationshipId = await relationshipJourney(
    app,
    headers,
    async () => {
      time.advance(1000);
      await dispatcher.drain();
    },
    async (id, goal) => {
      const domain = client(app, headers);
      await domain.must('POST', `/v1/relationships/${id}/goals/${goal.id}/tasks/${goal.tasks[0]!.id}/complete`, { note: 'Read it twice' });
      await domain.must('POST', `/v1/relationships/${id}/sessions`, { kind: 'regular', heldAt: new Date(time.now.getTime() - 60_000).toISOString(), minutes: 45 });
    },
  );
  await dispatcher.drain();

  const outbox = await outboxOf(org);
  const sendable = outbox.filter((e) => e.type in PER_EVENT);
  const expected = sendable.reduce((sum, e) => sum + PER_EVENT[e.type]!, 0);
  for (const type of Object.keys(PER_EVENT).filter((type) => type !== 'session.held')) t.ok(sendable.some((e) => e.type === type), `the journey had a ${type}`);
  t.equal(lrs.stored.size, expected, `${expected} statements from ${sendable.length} events`);
  t.ok(lrs.requests.every((r) => r.version === '1.0.3' && r.authorized && r.status === 200), 'every POST carried the version and the credentials, and was accepted');
  t.equal(lrs.requests.length, sendable.length, 'one POST per event, none for the other events');
  const arrivals = lrs.requests.flatMap((r) => r.statements.map((s) => s.id));
  t.equal(new Set(arrivals).size, arrivals.length, 'each statement arrived once');

  const [pair] = await database.rows<{ mentor_id: string; mentee_id: string; programme_id: string }>(
    sql`select mentor_id, mentee_id, programme_id from relationships where id = ${relationshipId}`,
  );
  for (const statement of lrs.stored.values()) {
    t.same(validate(statement), [], `statement ${statement.id} passes the xAPI validator`);
    const s = statement as { actor: { account: { homePage: string; name: string } }; verb: { id: string }; context: { registration: string; contextActivities: { parent: { id: string }[] } } };
    t.equal(s.actor.account.homePage, HOME);
    t.ok([pair!.mentor_id, pair!.mentee_id].includes(s.actor.account.name), 'the actor is one of the pair, by id');
    t.equal(s.context.registration, relationshipId, 'the relationship is the registration');
    t.same(s.context.contextActivities.parent.map((p) => p.id), [`${HOME}/tandem/programmes/${pair!.programme_id}`], 'the programme is the parent activity');
    t.ok(s.verb.id.startsWith(ADL), `an ADL verb: ${s.verb.id}`);
  }
  const completed = [...lrs.stored.values()].filter((s) => (s.verb as { id: string }).id === `${ADL}completed` && (s.object as { id: string }).id.endsWith(`/relationships/${relationshipId}`));
  t.same(completed.map((s) => (s.actor as { account: { name: string } }).account.name).sort(), [pair!.mentor_id, pair!.mentee_id].sort(), 'both completed the relationship');

  // A redelivery carries the same statement ids and bodies: the LRS accepts it and stores nothing new.
  const before = new Map(lrs.stored);
  const completion = outbox.find((e) => e.type === 'relationship.completed')!;
  const resent = await api.call('POST', `/v1/events/${completion.id}/resend`, { endpointId: created.body.id });
  t.equal(resent.status, 202);
  await dispatcher.drain();
  t.equal(lrs.requests.at(-1)!.status, 200, 'the redelivered statements were accepted as the same statements');
  t.same(lrs.stored, before, 'and nothing new was stored');
  const attempts = await api.must('GET', `/v1/lrs-configurations/${created.body.id}/attempts?limit=100`);
  t.equal(attempts.items.length, sendable.length + 1, 'every POST is in the attempt log');
  t.ok(attempts.items.every((a: { status: string }) => a.status === 'succeeded'));
});

t.test('an LRS that is down is retried on the webhook schedule until it takes the statements', async (t) => {
  const { headers, lrs, api, created } = await setUp('xapi-down', { version: '2.0.0' });
  lrs.setDown(true);
  const [id] = await openRelationships(app, headers, 1);
  const domain = client(app, headers);
  await domain.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentor' });
  await domain.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentee' });
  await domain.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  await dispatcher.drain();
  const failed = await api.must('GET', `/v1/lrs-configurations/${created.body.id}/attempts`);
  t.match(failed.items, [{ status: 'failed', responseStatus: 503, eventType: 'relationship.stage_changed' }]);
  t.ok(failed.items[0].nextAttemptAt, 'a retry is scheduled');
  t.equal(lrs.stored.size, 0);

  lrs.setDown(false);
  time.advance(10_000);
  await dispatcher.drain();
  t.equal(lrs.stored.size, 1, 'the retry delivered the statement');
  t.equal(lrs.requests.at(-1)!.version, '2.0.0', 'in the version configured');
  const log = await api.must('GET', `/v1/lrs-configurations/${created.body.id}/attempts`);
  t.match(log.items, [{ attemptNumber: 1, status: 'failed' }, { attemptNumber: 2, status: 'succeeded', responseStatus: 200 }]);
  t.match((await api.must('GET', `/v1/lrs-configurations/${created.body.id}`)).failingSince, null, 'the failure record is cleared');
});

t.test('an erased person appears in no statement sent afterwards, in either actor form', async (t) => {
  const { org, headers, lrs, api } = await setUp('xapi-erase', { actorFormat: 'mbox' });
  const domain = client(app, headers);
  const admin = client(app, auth({ org, roles: ['admin'] }));
  const programme = await domain.must('POST', '/v1/programmes', { name: 'Erasure programme' });
  const mentor = await domain.must('POST', '/v1/people', personInput());
  const mentee = await domain.must('POST', '/v1/people', personInput({ name: 'Zofia Quellbrunn', email: 'zofia.quellbrunn@example.com' }));
  const { id } = await domain.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  await domain.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentor' });
  await domain.must('POST', `/v1/relationships/${id}/acceptances`, { party: 'mentee' });
  await domain.must('POST', `/v1/relationships/${id}/transitions`, { to: 'negotiation' });
  await dispatcher.drain();
  t.match(JSON.stringify([...lrs.stored.values()]), 'mailto:zofia.quellbrunn@example.com', 'before erasure, mbox names her');

  await admin.must('POST', `/v1/people/${mentee.id}/erase`);
  const second = await startLrs({ username: 'tandem', password: 's3cret-key' });
  t.teardown(() => second.close());
  const fresh = await api.must('POST', '/v1/lrs-configurations', { url: second.url, username: 'tandem', password: 's3cret-key', homePage: HOME, actorFormat: 'mbox' });
  // Erasing her withdrew the relationship (the programme's policy): that event is sent after it.
  for (const event of (await outboxOf(org)).filter((e) => e.type === 'relationship.stage_changed')) {
    await api.must('POST', `/v1/events/${event.id}/resend`, { endpointId: fresh.id });
  }
  await dispatcher.drain();
  const sent = JSON.stringify([...second.stored.values()]) + JSON.stringify(lrs.requests.slice(1).flatMap((r) => r.statements));
  t.equal(second.stored.size, 2, 'the event before erasure and the withdrawal it caused both went to the new LRS');
  t.equal(lrs.requests.length, 2, 'the first LRS got the withdrawal too');
  t.notMatch(sent, /zofia|quellbrunn/i, 'neither her name nor her email appears');
  t.match(sent, `"account":{"homePage":"${HOME}","name":"${mentee.id}"}`, 'she is an account by id');
});
