import t from 'tap';
import { sql } from 'drizzle-orm';
import { RETRY_DELAYS_MS, MAX_ATTEMPTS } from '../../src/webhooks/vocabulary.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock, seededRandom } from './helpers/clock.ts';
import { attemptsByDelivery, nextDue, runSchedule } from './helpers/log.ts';
import { closedPort, startReceiver } from './helpers/receiver.ts';
import { openRelationships, relationshipJourney, testDispatcher, webhookApi } from './helpers/world.ts';

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock, random: seededRandom(7) });
const HOUR = 3600_000;

t.test('receiver down, then failing, then back: every event arrives on the retry schedule', async (t) => {
  const org = uniqueOrg('wh-outage');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const port = await closedPort();
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: `http://127.0.0.1:${port}/hooks` });

  // The journey happens while nothing listens: every attempt is refused.
  await relationshipJourney(app, headers, async () => {
    time.advance(1000);
    await dispatcher.drain();
  });
  const events = await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org}`);
  let log = await attemptsByDelivery(database, org);
  t.equal(log.size, events.length, 'every event has its delivery and a first attempt');
  t.ok([...log.values()].every((attempts) => attempts.every((a) => a.status === 'failed' && /ECONNREFUSED/.test(a.error ?? ''))), 'connection refused, logged');

  // Two more rounds refused, then the receiver is up but answers 500 for two more rounds.
  await runSchedule(database, org, dispatcher, time, async () => [...(await attemptsByDelivery(database, org)).values()].every((a) => a.length >= 3));
  const receiver = await startReceiver({ port, now: time.clock, secrets: [endpoint.secret], behaviour: () => ({ status: 500, body: 'database is down' }) });
  t.teardown(receiver.close);
  await runSchedule(database, org, dispatcher, time, () => receiver.received.length >= events.length * 2);
  receiver.behave(() => ({ status: 200, body: 'ok' }));
  await runSchedule(database, org, dispatcher, time);

  t.same(receiver.uniqueVerified().map((r) => r.id).sort(), events.map((e) => e.id).sort(), 'every event arrived, verified');
  t.same(receiver.received.filter((r) => !r.message), [], 'every delivery verified');
  log = await attemptsByDelivery(database, org);
  for (const attempts of log.values()) {
    t.same(attempts.map((a) => a.attemptNumber), attempts.map((_, i) => i + 1), 'attempts numbered 1, 2, 3…');
    t.equal(attempts.at(-1)!.status, 'succeeded');
    t.equal(attempts.at(-1)!.nextAttemptAt, null);
    t.ok(attempts.some((a) => a.responseStatus === 500), 'the 500s are in the log');
    for (const [i, attempt] of attempts.slice(0, -1).entries()) {
      const scheduled = attempt.nextAttemptAt!.getTime() - attempt.at.getTime();
      const base = RETRY_DELAYS_MS[i]!;
      t.ok(scheduled >= base * 0.8 && scheduled <= base * 1.2, `retry ${i + 1}: ${scheduled} ms is ${base} ms ± 20 %`);
      const actual = attempts[i + 1]!.at.getTime() - attempt.at.getTime();
      t.ok(actual >= scheduled && actual <= scheduled + 1000, `retry ${i + 1} went at its time (${actual} ms)`);
    }
  }
  const viaApi = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts?status=failed&limit=100`);
  t.ok(viaApi.items.length > 0 && viaApi.items.every((a: { status: string }) => a.status === 'failed'), 'the log filters by status');
  const [first] = viaApi.items;
  const ofType = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts?eventType=${first.eventType}&limit=100`);
  t.ok(ofType.items.every((a: { eventType: string }) => a.eventType === first.eventType), 'the log filters by event type');
  const late = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts?since=${encodeURIComponent(first.nextAttemptAt)}&limit=100`);
  t.ok(late.items.every((a: { at: string }) => a.at >= first.nextAttemptAt), 'the log filters by time');
  const paged = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts?limit=2`);
  t.equal(paged.items.length, 2);
  const next = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts?limit=2&cursor=${paged.nextCursor}`);
  t.ok(next.items[0].id > paged.items[1].id, 'cursor pagination');
  t.equal((await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)).failingSince, null, 'a success clears the failure record');
});

t.test('Retry-After on 429 and 503 is honoured within 1–2× the scheduled delay', async (t) => {
  const org = uniqueOrg('wh-retry-after');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  const answers = [
    { status: 503, headers: { 'retry-after': '3600' } }, // far too long: clamped to 2× (5 s ± 20 %)
    { status: 429, headers: { 'retry-after': '1' } }, // too short: the schedule's 5 min ± 20 %
    { status: 503, headers: { 'retry-after': '2400' } }, // within 1–2× of 30 min: as asked
    { status: 200 },
  ];
  receiver.behave((_, count) => answers[Math.min(count, answers.length) - 1]!);
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  await runSchedule(database, org, dispatcher, time);
  const [attempts] = [...(await attemptsByDelivery(database, org)).values()];
  const delays = attempts!.slice(0, 3).map((a) => a.nextAttemptAt!.getTime() - a.at.getTime());
  t.ok(delays[0]! >= 2 * 4000 && delays[0]! <= 2 * 6000, `503 Retry-After 1 h → 2× the 5 s step (${delays[0]} ms)`);
  t.ok(delays[1]! >= 240_000 && delays[1]! <= 360_000, `429 Retry-After 1 s → the 5 min step (${delays[1]} ms)`);
  t.equal(delays[2], 2_400_000, '503 Retry-After 40 min, within 1–2× of 30 min, is taken as is');
  t.equal(attempts!.at(-1)!.status, 'succeeded');
});

t.test('a delivery that never succeeds stops after the tenth attempt; recover sends it again', async (t) => {
  const org = uniqueOrg('wh-exhausted');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock, behaviour: () => ({ status: 500 }) });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  const start = time.now;
  await openRelationships(app, headers, 2);
  await dispatcher.drain();
  await runSchedule(database, org, dispatcher, time);
  const log = [...(await attemptsByDelivery(database, org)).values()];
  t.equal(log.length, 2);
  for (const attempts of log) {
    t.equal(attempts.length, MAX_ATTEMPTS, 'ten attempts');
    t.equal(attempts.at(-1)!.nextAttemptAt, null, 'the last one schedules nothing');
    const span = attempts.at(-1)!.at.getTime() - attempts[0]!.at.getTime();
    t.ok(span > 2.4 * 24 * HOUR && span < 3.8 * 24 * HOUR, `about three days of retries (${(span / HOUR).toFixed(1)} h)`);
  }
  t.equal(await nextDue(database, org), null, 'nothing left pending');
  t.equal((await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)).enabled, true, 'three days of failure do not yet disable');

  const tooLong = await hooks.call('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(time.now.getTime() - 15 * 24 * HOUR).toISOString() });
  t.equal(tooLong.status, 400, 'a recovery covers at most 14 days');
  receiver.behave(() => ({ status: 200 }));
  const before = receiver.received.length;
  const recovery = await hooks.call('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(start.getTime() - HOUR).toISOString() });
  t.equal(recovery.status, 202);
  t.equal(recovery.body.queued, 2);
  await dispatcher.drain();
  t.equal(receiver.received.length - before, 2, 'both events replayed');
  t.ok(receiver.received.slice(before).every((r) => r.message), 'verified');
  const again = await hooks.must('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(start.getTime() - HOUR).toISOString() });
  t.equal(again.queued, 0, 'what has arrived is not recovered twice');
});

t.test('recover brings deliveries waiting for a retry forward to now; each event arrives once, and one in flight is not doubled', async (t) => {
  const org = uniqueOrg('wh-recover-now');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const port = await closedPort();
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: `http://127.0.0.1:${port}/hooks` });
  const start = time.now;
  await openRelationships(app, headers, 3);
  const events = (await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org}`)).map((e) => e.id).sort();
  // The endpoint is down: attempts are refused until the next retry is hours away.
  await dispatcher.drain();
  for (let due = await nextDue(database, org); due && due.getTime() - time.now.getTime() < HOUR; due = await nextDue(database, org)) {
    time.set(due);
    await dispatcher.drain();
  }
  t.ok((await nextDue(database, org))!.getTime() - time.now.getTime() >= HOUR, 'every delivery waits an hour or more for its next retry');

  // Back up, and slow: it holds every request until released, so they stay in flight.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const receiver = await startReceiver({ port, now: time.clock, secrets: [endpoint.secret], behaviour: () => ({ status: 200, hold: held }) });
  t.teardown(async () => {
    release();
    await receiver.close();
  });
  const since = new Date(start.getTime() - HOUR).toISOString();
  const recovery = await hooks.must('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since });
  t.match(recovery, { broughtForward: 3, queued: 0 }, 'the waiting deliveries are brought forward, no new ones made');
  const sending = dispatcher.drain(); // now, with the clock not moved
  await receiver.waitFor((received) => received.length >= 3);
  t.match(await hooks.must('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since }), { broughtForward: 0, queued: 0 }, 'deliveries in flight are left alone');
  release();
  await sending;
  await dispatcher.drain();
  time.advance(25 * HOUR); // past every retry the old schedule had planned
  await dispatcher.drain();
  const perEvent = new Map<string, number>();
  for (const r of receiver.received) perEvent.set(r.id, (perEvent.get(r.id) ?? 0) + 1);
  t.same([...perEvent.keys()].sort(), events, 'every event arrived');
  t.ok([...perEvent.values()].every((n) => n === 1), `once each (${[...perEvent.values()].join(', ')})`);
  t.ok(receiver.received.every((r) => r.message), 'verified');
  t.match(await hooks.must('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since }), { broughtForward: 0, queued: 0 }, 'what has arrived is not recovered again');
});

t.test('a manual resend that fails is logged once and not rescheduled', async (t) => {
  const org = uniqueOrg('wh-resend');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  const [event] = await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org}`);
  receiver.behave(() => ({ status: 502 }));
  const resent = await hooks.must('POST', `/v1/events/${event!.id}/resend`, {});
  t.equal(resent.deliveryIds.length, 1, 'to every subscribed endpoint: this one');
  await dispatcher.drain();
  time.advance(48 * HOUR);
  await dispatcher.drain();
  const attempts = await hooks.must('GET', `/v1/events/${event!.id}/attempts?trigger=manual`).catch(() => null);
  t.equal(attempts, null, 'unknown filters are refused');
  const log = await hooks.must('GET', `/v1/events/${event!.id}/attempts`);
  t.match(log.items, [
    { trigger: 'scheduled', status: 'succeeded' },
    { trigger: 'manual', status: 'failed', responseStatus: 502, nextAttemptAt: null },
  ]);
  t.equal(log.items.length, 2, 'the failed resend was tried once');
});
