import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { outboxEvents, webhookDeliveries } from '../../src/db/schema.ts';
import { LEASE_LOST_ERROR } from '../../src/webhooks/claim.ts';
import { createFanOut } from '../../src/webhooks/fan-out.ts';
import type { OutboundRequest, OutboundResponse, Sender } from '../../src/webhooks/sender.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock } from './helpers/clock.ts';
import { testDispatcher, webhookApi } from './helpers/world.ts';

// Outcomes are written a round (a group) at a time: one transaction of a constant number of
// statements, each endpoint's row written at most once and only when it changes.
const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });

// Every write to an endpoint's row, counted by a trigger (works on PGlite and PostgreSQL alike).
await database.db.execute(sql`create table test_endpoint_writes (endpoint_id uuid not null)`);
await database.db.execute(
  sql.raw(`create function test_count_endpoint_write() returns trigger language plpgsql as $$
    begin insert into test_endpoint_writes values (new.id); return new; end $$`),
);
await database.db.execute(sql`create trigger test_endpoint_writes after update on webhook_endpoints for each row execute function test_count_endpoint_write()`);
const endpointWrites = async (id: string) => (await database.rows<{ n: number }>(sql`select count(*)::int as n from test_endpoint_writes where endpoint_id = ${id}`))[0]!.n;

/** Commits `count` events for an organisation at the clock's time, as the domain would (without the REST detour). */
async function commitEvents(org: string, count: number): Promise<string[]> {
  const rows = await database.db
    .insert(outboxEvents)
    .values(Array.from({ length: count }, (_, i) => ({ orgId: org, type: 'session.logged', subjectId: '00000000-0000-7000-8000-000000000001', payload: { organisationId: org, n: i }, createdAt: time.clock() })))
    .returning({ id: outboxEvents.id });
  return rows.map((row) => row.id);
}

/** An endpoint at a path the fake sender answers by; it is removed when the test ends, so later tests see none of its retries. */
async function createEndpoint(t: Test, org: string, path: string): Promise<string> {
  t.teardown(() => database.db.execute(sql`delete from webhook_endpoints where org_id = ${org}`));
  const endpoint = await webhookApi(app, auth({ org, roles: ['admin'] })).must('POST', '/v1/webhook-endpoints', { url: `http://127.0.0.1:9/${path}` });
  return endpoint.id as string;
}

/** A sender standing in for the network: answers by URL path, and remembers what it was asked. */
function fakeSender(answer: (request: OutboundRequest) => OutboundResponse | Promise<OutboundResponse>) {
  const requests: OutboundRequest[] = [];
  const sender: Sender = async (request) => {
    requests.push(request);
    return answer(request);
  };
  return { sender, requests };
}
const ok: OutboundResponse = { status: 204, retryAfter: null, body: '' };

type DeliveryState = {
  id: string;
  event_id: string;
  status: string;
  attempts: number;
  next_attempt_at: string | Date | null;
  last_response_status: number | null;
  claim_token: string | null;
};
const deliveriesOf = (org: string) =>
  database.rows<DeliveryState>(
    sql`select id, event_id, status, attempts, next_attempt_at, last_response_status, claim_token from webhook_deliveries where org_id = ${org} order by created_at, id`,
  );
const attemptsOf = (org: string) =>
  database.rows<{ delivery_id: string; event_id: string; attempt_number: number; status: string; response_status: number | null; response_body: string | null; error: string | null; next_attempt_at: string | Date | null }>(
    sql`select delivery_id, event_id, attempt_number, status, response_status, response_body, error, next_attempt_at from webhook_attempts where org_id = ${org} order by attempt_number, id`,
  );
const ms = (value: string | Date | null) => (value === null ? null : new Date(value).getTime());

t.test('a round of many deliveries to one endpoint records every attempt, with one write to the endpoint', async (t) => {
  const org = uniqueOrg('wh-batch');
  const endpointId = await createEndpoint(t, org, 'one');
  const { sender, requests } = fakeSender(() => ok);
  const dispatcher = testDispatcher(database, { clock: time.clock, sender, batchSize: 100 });
  await dispatcher.drain(); // cursor, prune: the rounds below are alike

  const events = await commitEvents(org, 40);
  const before = database.statements.count;
  const result = await dispatcher.runOnce();
  const statementsForForty = database.statements.count - before;
  t.match(result, { fannedOut: 40, sent: 40 }, 'one round fans out, claims and sends all forty');
  t.equal(requests.length, 40);
  const deliveries = await deliveriesOf(org);
  t.equal(deliveries.length, 40);
  t.ok(deliveries.every((d) => d.status === 'succeeded' && d.attempts === 1 && d.claim_token === null && d.last_response_status === 204), 'every delivery is done, its lease released');
  const attempts = await attemptsOf(org);
  t.same(attempts.map((a) => a.event_id).sort(), [...events].sort(), 'one attempt per event in the log');
  t.ok(attempts.every((a) => a.status === 'succeeded' && a.attempt_number === 1 && a.response_status === 204 && a.next_attempt_at === null));
  t.equal(await endpointWrites(endpointId), 1, 'the endpoint row was written once for forty successes');
  const [endpoint] = await database.rows<{ last_success_at: string | Date; failing_since: unknown }>(sql`select last_success_at, failing_since from webhook_endpoints where id = ${endpointId}`);
  t.equal(ms(endpoint!.last_success_at), time.now.getTime(), 'last_success_at is the round’s time');
  t.equal(endpoint!.failing_since, null);

  await commitEvents(org, 5);
  const again = database.statements.count;
  await dispatcher.runOnce();
  t.equal(database.statements.count - again, statementsForForty, 'a round of five costs the same statements as a round of forty');
  t.equal(await endpointWrites(endpointId), 1, 'a success within a second of the last one does not write the endpoint');

  time.advance(2000);
  await commitEvents(org, 3);
  await dispatcher.runOnce();
  t.equal(await endpointWrites(endpointId), 2, 'a second later, last_success_at moves on');
  t.equal(requests.length, 48);
});

t.test('mixed outcomes in one round each get their own schedule; each endpoint is judged once', async (t) => {
  const org = uniqueOrg('wh-mixed');
  const flaky = await createEndpoint(t, org, 'flaky');
  const gone = await createEndpoint(t, org, 'gone');
  const answers: OutboundResponse[] = [
    { status: 200, retryAfter: null, body: 'fine' },
    { status: 500, retryAfter: null, body: 'bro\u0000ken' },
    { status: 503, retryAfter: '3600', body: '' }, // clamped to 2× the 5 s step
    { status: 429, retryAfter: '1', body: '' }, // the schedule's 5 s at least
    { status: 302, retryAfter: null, body: '' },
  ];
  const eventIds = await commitEvents(org, answers.length);
  const { sender, requests } = fakeSender((request) => {
    if (request.url.endsWith('/gone')) return { status: 410, retryAfter: null, body: '' };
    const index = eventIds.indexOf(request.headers['webhook-id']!);
    return answers[index]!;
  });
  // A manual resend of the first event to the flaky endpoint, due in the same round.
  await database.db.insert(webhookDeliveries).values({ orgId: org, endpointId: flaky, eventId: eventIds[1]!, trigger: 'manual', status: 'pending', nextAttemptAt: time.clock() });
  const dispatcher = testDispatcher(database, { clock: time.clock, sender, random: () => 0.5 });
  const round = await dispatcher.runOnce();
  t.equal(round.sent, answers.length * 2 + 1, 'one round: five events to two endpoints, and the resend');
  t.equal(requests.length, round.sent);

  const now = time.now.getTime();
  const deliveries = await database.rows<{ endpoint_id: string; event_id: string; trigger: string; status: string; next_attempt_at: string | Date | null; last_error: string | null }>(
    sql`select endpoint_id, event_id, trigger, status, next_attempt_at, last_error from webhook_deliveries where org_id = ${org}`,
  );
  const of = (endpoint: string, event: string, trigger = 'scheduled') => deliveries.find((d) => d.endpoint_id === endpoint && d.event_id === event && d.trigger === trigger)!;
  t.match(of(flaky, eventIds[0]!), { status: 'succeeded', next_attempt_at: null, last_error: null }, '200: done');
  t.match(of(flaky, eventIds[1]!), { status: 'pending', last_error: 'Answered 500.' }, '500: tried again');
  t.equal(ms(of(flaky, eventIds[1]!).next_attempt_at), now + 5000, '500: after the 5 s step');
  t.equal(ms(of(flaky, eventIds[2]!).next_attempt_at), now + 10_000, '503 with Retry-After 1 h: clamped to 2× the step');
  t.equal(ms(of(flaky, eventIds[3]!).next_attempt_at), now + 5000, '429 with Retry-After 1 s: not sooner than the step');
  t.match(of(flaky, eventIds[4]!), { status: 'pending', last_error: /redirects are not followed/ }, '3xx: a failure');
  t.match(of(flaky, eventIds[1]!, 'manual'), { status: 'failed', next_attempt_at: null, last_error: 'Answered 500.' }, 'a failed resend is not rescheduled');
  for (const eventId of eventIds) t.match(of(gone, eventId), { status: 'failed', next_attempt_at: null }, '410: not tried again');

  const [body] = await database.rows<{ response_body: string }>(
    sql`select a.response_body from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id where d.endpoint_id = ${flaky} and d.event_id = ${eventIds[1]!} and d.trigger = 'scheduled'`,
  );
  t.equal(body!.response_body, 'broken', 'NUL bytes are stripped from the stored answer');

  const endpoints = await database.rows<{ id: string; enabled: boolean; failing_since: unknown; last_success_at: unknown; disabled_reason: string | null }>(
    sql`select id, enabled, failing_since, last_success_at, disabled_reason from webhook_endpoints where org_id = ${org}`,
  );
  const flakyRow = endpoints.find((e) => e.id === flaky)!;
  t.match(flakyRow, { enabled: true, failing_since: null }, 'a round with a success is a success for the endpoint');
  t.equal(ms(flakyRow.last_success_at as string), now);
  const goneRow = endpoints.find((e) => e.id === gone)!;
  t.match(goneRow, { enabled: false, disabled_reason: /410 Gone/ }, '410 disables the endpoint');
  t.equal(ms(goneRow.failing_since as string), now, 'and its failure record starts');
  const disabledEvents = await database.rows<{ subject_id: string }>(sql`select subject_id from outbox_events where org_id = ${org} and type = 'webhook_endpoint.disabled'`);
  t.same(disabledEvents.map((e) => e.subject_id), [gone], 'one webhook_endpoint.disabled event for five 410s');
  t.equal(await endpointWrites(flaky), 1, 'the flaky endpoint was written once');
});

t.test('an endpoint failing for five days is disabled once, by the round that finds it', async (t) => {
  const org = uniqueOrg('wh-five-days');
  const endpointId = await createEndpoint(t, org, 'down');
  const { sender } = fakeSender(() => ({ status: 500, retryAfter: null, body: '' }));
  const dispatcher = testDispatcher(database, { clock: time.clock, sender, random: () => 0.5 });
  await commitEvents(org, 3);
  await dispatcher.runOnce();
  const start = time.now.getTime();
  t.equal(await endpointWrites(endpointId), 1, 'three failures: the failure record is written once');
  time.advance(60_000);
  await commitEvents(org, 3);
  await dispatcher.runOnce();
  t.equal(await endpointWrites(endpointId), 1, 'failing still: nothing to write');
  time.advance(5 * 24 * 3600_000);
  await commitEvents(org, 3);
  await dispatcher.runOnce();
  const [row] = await database.rows<{ enabled: boolean; failing_since: string | Date; disabled_reason: string }>(sql`select enabled, failing_since, disabled_reason from webhook_endpoints where id = ${endpointId}`);
  t.equal(row!.enabled, false);
  t.equal(ms(row!.failing_since), start, 'failing since the first failure');
  t.match(row!.disabled_reason, /failed for 5 days, since/);
  const disabled = await database.rows<{ n: number }>(sql`select count(*)::int as n from outbox_events where org_id = ${org} and type = 'webhook_endpoint.disabled'`);
  t.equal(disabled[0]!.n, 1, 'one event, however many failures the round held');
});

t.test('a delivery whose lease was taken over is not overwritten by the late round’s write', async (t) => {
  const org = uniqueOrg('wh-lease');
  await createEndpoint(t, org, 'slow');
  await commitEvents(org, 2);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  let arrived: () => void = () => {};
  const bothArrived = new Promise<void>((resolve) => (arrived = resolve));
  const slow = fakeSender(async () => {
    if (++calls === 2) arrived();
    await held;
    return { status: 500, retryAfter: null, body: 'too late' };
  });
  const first = testDispatcher(database, { clock: time.clock, sender: slow.sender, leaseMs: 1000 });
  const firstRound = first.runOnce();
  await bothArrived;
  const [claimedByFirst] = await deliveriesOf(org);
  t.match(claimedByFirst, { status: 'sending', attempts: 1 });

  time.advance(2000); // the first dispatcher's lease runs out while its requests hang
  const fast = fakeSender(() => ok);
  const second = testDispatcher(database, { clock: time.clock, sender: fast.sender });
  t.match(await second.runOnce(), { sent: 2 }, 'another dispatcher claims both again and delivers them');
  release();
  await firstRound;

  const deliveries = await deliveriesOf(org);
  t.ok(
    deliveries.every((d) => d.status === 'succeeded' && d.attempts === 2 && d.last_response_status === 204 && d.next_attempt_at === null),
    'the late 500s did not reschedule or overwrite the deliveries the second dispatcher completed',
  );
  const attempts = await attemptsOf(org);
  t.same(
    attempts.map((a) => [a.attempt_number, a.status, a.response_status]),
    [
      [1, 'failed', 500],
      [1, 'failed', 500],
      [2, 'succeeded', 204],
      [2, 'succeeded', 204],
    ],
    'the log keeps what each attempt really came to',
  );
  t.notOk(attempts.some((a) => a.error === LEASE_LOST_ERROR), 'the first attempts were answered after all, and say so');
});

t.test('a slow receiver holds only its own deliveries: the others are recorded while it answers', async (t) => {
  const org = uniqueOrg('wh-slow');
  const slowEndpoint = await createEndpoint(t, org, 'slow');
  const fastEndpoint = await createEndpoint(t, org, 'fast');
  await commitEvents(org, 3);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const { sender } = fakeSender(async (request) => {
    if (request.url.endsWith('/slow')) await held;
    return ok;
  });
  const dispatcher = testDispatcher(database, { clock: time.clock, sender, pollMs: 3_600_000 });
  await dispatcher.start();
  t.teardown(async () => {
    release();
    await dispatcher.stop();
  });
  const states = async () => database.rows<{ endpoint_id: string; status: string }>(sql`select endpoint_id, status from webhook_deliveries where org_id = ${org}`);
  for (let tries = 0; tries < 200; tries++) {
    const rows = await states();
    if (rows.filter((r) => r.endpoint_id === fastEndpoint && r.status === 'succeeded').length === 3) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const rows = await states();
  t.equal(rows.filter((r) => r.endpoint_id === fastEndpoint && r.status === 'succeeded').length, 3, 'the fast endpoint’s deliveries are recorded');
  t.equal(rows.filter((r) => r.endpoint_id === slowEndpoint && r.status === 'sending').length, 3, 'while the slow one still answers');
  release();
  await dispatcher.stop();
  t.ok((await states()).every((r) => r.status === 'succeeded'), 'and then the slow ones too');
});

t.test('the fan-out reads past a hole in seq without waiting for it, in batches, each event once', async (t) => {
  const org = uniqueOrg('wh-gap-ahead');
  await createEndpoint(t, org, 'gap');
  const drainer = testDispatcher(database, { clock: time.clock, sender: fakeSender(() => ok).sender });
  await drainer.drain();
  // A transaction took a seq and rolled back: a hole that never fills. Then seven events commit.
  await database.rows(sql`select nextval('outbox_events_seq_seq')`);
  await commitEvents(org, 7);
  const scheduled = async () => (await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org}`))[0]!.n;

  const fanOut = createFanOut({ batch: 3 }); // three events a read, to see it read on
  t.equal(await fanOut(database.db, time.clock()), 3);
  t.equal(await fanOut(database.db, time.clock()), 3, 'the next read goes on past the first three');
  t.equal(await fanOut(database.db, time.clock()), 1);
  t.equal(await fanOut(database.db, time.clock()), 0, 'and then there is nothing new');
  t.equal(await scheduled(), 7, 'every event past the hole has its delivery, with no time passing');
  const [cursor] = await database.rows<{ batch: string | null }>(sql`select batch from webhook_cursors where name = 'fan-out'`);
  t.equal(cursor!.batch, null, 'and the persisted cursor has closed its batch: nothing waits at the hole');
});

t.test('an event that commits after later ones (an earlier seq) is fanned out by a fan-out that has read past it', async (t) => {
  const org = uniqueOrg('wh-gap-late');
  await createEndpoint(t, org, 'late');
  const drainer = testDispatcher(database, { clock: time.clock, sender: fakeSender(() => ok).sender });
  await drainer.drain();
  const reserved = Number((await database.rows<{ seq: string | number }>(sql`select nextval('outbox_events_seq_seq') as seq`))[0]!.seq);
  await commitEvents(org, 5);
  const fanOut = createFanOut({ batch: 2 });
  for (let i = 0; i < 3; i++) await fanOut(database.db, time.clock());
  const [late] = await database.db
    .insert(outboxEvents)
    .values({ seq: reserved, orgId: org, type: 'session.logged', subjectId: '00000000-0000-7000-8000-000000000001', payload: { organisationId: org }, createdAt: time.clock() })
    .returning({ id: outboxEvents.id });
  t.equal(await fanOut(database.db, time.clock()), 1, 'the late event, found inside the gap');
  const [made] = await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where event_id = ${late!.id}`);
  t.equal(made!.n, 1);
  t.equal(await fanOut(database.db, time.clock()), 0, 'and nothing twice');
});
