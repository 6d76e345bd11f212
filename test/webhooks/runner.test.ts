import { sql } from 'drizzle-orm';
import t from 'tap';
import { startEventFeed } from '../../src/db/event-feed.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });

t.test('a running dispatcher is woken by committed events and by queued resends, not by its poll', async (t) => {
  const org = uniqueOrg('wh-wake');
  const headers = auth({ org, roles: ['admin'] });
  const receiver = await startReceiver();
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  const eventFeed = await startEventFeed(database);
  const dispatcher = testDispatcher(database, { eventFeed, pollMs: 3_600_000 });
  await dispatcher.start();
  t.teardown(async () => {
    await dispatcher.stop();
    await eventFeed.close();
  });
  await dispatcher.drain();

  await openRelationships(app, headers, 1);
  await receiver.waitFor((received) => received.length === 1, 10_000);
  t.ok(receiver.received[0]!.message, 'delivered after the event committed (LISTEN/NOTIFY), verified');
  const eventId = receiver.received[0]!.id;
  await webhookApi(app, headers).must('POST', `/v1/events/${eventId}/resend`, {});
  await receiver.waitFor((received) => received.length === 2, 10_000);
  t.equal(receiver.received[1]!.id, eventId, 'the resend woke it too');
});

t.test('stopping hands back a send in flight: it is sent again by the next dispatcher', async (t) => {
  const org = uniqueOrg('wh-stop');
  const headers = auth({ org, roles: ['admin'] });
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const receiver = await startReceiver({ behaviour: (_, count) => (count === 1 ? { status: 200, hold: held } : { status: 200 }) });
  t.teardown(async () => {
    release();
    await receiver.close();
  });
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 1);

  const first = testDispatcher(database, { stopGraceMs: 200 });
  await first.start();
  await receiver.waitFor((received) => received.length === 1, 10_000);
  await first.stop();
  const [delivery] = await database.rows<{ status: string; attempts: number }>(sql`select status, attempts from webhook_deliveries where org_id = ${org}`);
  t.match(delivery, { status: 'pending', attempts: 1 }, 'handed back, due again');
  const [attempt] = await database.rows<{ status: string; error: string }>(sql`select status, error from webhook_attempts where org_id = ${org}`);
  t.match(attempt, { status: 'failed', error: /shutting down/ }, 'the cut-short attempt is in the log');

  await testDispatcher(database).drain();
  t.equal(receiver.received.length, 2, 'sent again');
  t.equal(receiver.uniqueVerified().length, 1, 'one event, de-duplicated by webhook-id');
  const [done] = await database.rows<{ status: string }>(sql`select status from webhook_deliveries where org_id = ${org}`);
  t.equal(done!.status, 'succeeded');
});

t.test('a dispatcher started with firstRoundAfterMs (as the server starts it) claims its backlog only then', async (t) => {
  const org = uniqueOrg('wh-first-round');
  const headers = auth({ org, roles: ['admin'] });
  const receiver = await startReceiver();
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 1);

  // Deaf to LISTEN/NOTIFY: on PostgreSQL the notification of the events just committed may still be
  // on its way and would rightly wake it; this looks at the first round alone.
  const deaf = { ...database, listen: async () => async () => {} };
  const stoppedEarly = testDispatcher(deaf, { pollMs: 3_600_000, firstRoundAfterMs: 60_000 });
  await stoppedEarly.start();
  await stoppedEarly.stop(); // waits for a claim under way: there is none
  const [waiting] = await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org}`);
  t.equal(waiting!.n, 0, 'start() itself fanned out and claimed nothing');
  t.equal(receiver.received.length, 0);

  const dispatcher = testDispatcher(deaf, { pollMs: 3_600_000, firstRoundAfterMs: 300 });
  await dispatcher.start();
  t.teardown(() => dispatcher.stop());
  await receiver.waitFor((received) => received.length === 1, 10_000);
  t.equal(receiver.uniqueVerified().length, 1, 'claimed and sent after the delay');
});
