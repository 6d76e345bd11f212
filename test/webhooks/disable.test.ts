import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock, seededRandom } from './helpers/clock.ts';
import { nextDue, runSchedule } from './helpers/log.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock, random: seededRandom(11) });
const DAY = 24 * 3600_000;

const disabledEvents = (org: string) =>
  database.rows<{ type: string; payload: Record<string, unknown> }>(sql`select type, payload from outbox_events where org_id = ${org} and type = 'webhook_endpoint.disabled'`);

t.test('410 Gone disables the endpoint at once, with a reason and an event', async (t) => {
  const org = uniqueOrg('wh-gone');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const gone = await startReceiver({ now: time.clock, behaviour: () => ({ status: 410 }) });
  const watcher = await startReceiver({ now: time.clock });
  t.teardown(() => Promise.all([gone.close(), watcher.close()]));
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: gone.url });
  const watching = await hooks.must('POST', '/v1/webhook-endpoints', { url: watcher.url, eventTypes: ['webhook_endpoint.disabled'] });
  watcher.secrets = [watching.secret];

  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  const read = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`);
  t.equal(read.enabled, false);
  t.match(read.disabledReason, /410 Gone/);
  t.equal(gone.received.length, 1, 'nothing more was sent once it answered 410');
  const events = await disabledEvents(org);
  t.equal(events.length, 1, 'one webhook_endpoint.disabled event');
  t.match(events[0]!.payload, { endpointId: endpoint.id, url: gone.url, reason: /410/, actor: 'system:webhooks', organisationId: org });
  t.equal(watcher.uniqueVerified()[0]?.message?.type, 'webhook_endpoint.disabled', 'other endpoints hear of it');
  time.advance(DAY);
  await dispatcher.drain();
  t.equal(gone.received.length, 1, 'a disabled endpoint is sent nothing');
  const resend = await hooks.call('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
  t.equal(resend.status, 409, 'no manual sends to a disabled endpoint');
});

t.test('five days of failure with no success disable the endpoint; re-enabling resumes and clears the record', async (t) => {
  const org = uniqueOrg('wh-failing');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock, behaviour: () => ({ status: 500 }) });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  const start = time.now;

  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  t.equal((await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)).failingSince, start.toISOString(), 'the first failure is recorded');
  // A new event every day keeps the endpoint in use while every attempt fails.
  for (let day = 1; day <= 6; day++) {
    await runSchedule(database, org, dispatcher, time, async () => time.now.getTime() >= start.getTime() + day * DAY);
    if (!(await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)).enabled) break;
    time.set(new Date(start.getTime() + day * DAY));
    await openRelationships(app, headers, 1);
    await dispatcher.drain();
  }
  const disabled = await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`);
  t.equal(disabled.enabled, false);
  t.match(disabled.disabledReason, /failed for 5 days/);
  t.ok(new Date(disabled.disabledAt).getTime() - start.getTime() >= 5 * DAY, 'not before five days');
  t.ok(new Date(disabled.disabledAt).getTime() - start.getTime() < 6 * DAY, 'soon after five days');
  t.equal((await disabledEvents(org)).length, 1, 'a webhook_endpoint.disabled event');
  const pending = await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org} and status = 'pending'`);
  t.ok(pending[0]!.n > 0, 'deliveries still on their schedule are paused, not dropped');
  const sentBefore = receiver.received.length;
  time.advance(DAY);
  await dispatcher.drain();
  t.equal(receiver.received.length, sentBefore, 'nothing is sent while disabled');

  receiver.behave(() => ({ status: 200 }));
  const enabled = await hooks.must('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
  t.match(enabled, { enabled: true, disabledReason: null, disabledAt: null, failingSince: null });
  t.ok(await nextDue(database, org), 'the paused deliveries are due again');
  await dispatcher.drain();
  t.equal(receiver.received.length - sentBefore, pending[0]!.n, 'they are sent at once');
  t.ok(receiver.received.slice(sentBefore).every((r) => r.message), 'verified');
  t.equal(await nextDue(database, org), null);
});

t.test('disabling through the API pauses deliveries without an event', async (t) => {
  const org = uniqueOrg('wh-pause');
  const headers = auth({ org, roles: ['integration'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await hooks.must('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: false });
  await openRelationships(app, auth({ org, roles: ['admin'] }), 1);
  await dispatcher.drain();
  t.equal(receiver.received.length, 0, 'events while disabled are not fanned out to it');
  t.equal((await disabledEvents(org)).length, 0);
  await hooks.must('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
  const recovered = await hooks.must('POST', `/v1/webhook-endpoints/${endpoint.id}/recover`, { since: new Date(time.now.getTime() - 3600_000).toISOString() });
  t.equal(recovered.queued, 1, 'recover brings back what happened while it was off');
  await dispatcher.drain();
  t.equal(receiver.uniqueVerified().length, 1);
});
