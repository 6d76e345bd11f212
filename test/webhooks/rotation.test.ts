import t from 'tap';
import { Webhook } from 'standardwebhooks';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock } from './helpers/clock.ts';
import { startReceiver, type Received } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock });
const HOUR = 3600_000;

/** Verifies with one secret only, the reference library at the test clock's time. */
function verifiesWith(secret: string, received: Received): boolean {
  const realNow = Date.now;
  Date.now = () => time.now.getTime();
  try {
    new Webhook(secret).verify(received.body, { 'webhook-id': received.id, 'webhook-timestamp': String(received.timestamp), 'webhook-signature': received.signature });
    return true;
  } catch {
    return false;
  } finally {
    Date.now = realNow;
  }
}

t.test('after a rotation both secrets verify for 24 hours, then only the new one', async (t) => {
  const org = uniqueOrg('wh-rotate');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  const oldSecret: string = endpoint.secret;
  receiver.secrets = [oldSecret];

  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  t.equal(receiver.received[0]!.signature.split(' ').length, 1, 'one signature before any rotation');

  const rotated = await hooks.call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
  t.equal(rotated.status, 200);
  const newSecret: string = rotated.body.secret;
  t.not(newSecret, oldSecret);
  t.match(newSecret, /^whsec_/);
  t.equal(rotated.body.previousSecretExpiresAt, new Date(time.now.getTime() + 24 * HOUR).toISOString());
  t.notOk('secret' in (await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)), 'the new secret is not readable either');

  time.advance(23 * HOUR);
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  const during = receiver.received.at(-1)!;
  t.equal(during.signature.split(' ').length, 2, 'two signatures during the overlap');
  t.ok(verifiesWith(oldSecret, during), 'the old secret verifies during the overlap');
  t.ok(verifiesWith(newSecret, during), 'the new secret verifies during the overlap');

  time.advance(2 * HOUR);
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  const after = receiver.received.at(-1)!;
  t.equal(after.signature.split(' ').length, 1, 'one signature after the overlap');
  t.notOk(verifiesWith(oldSecret, after), 'the old secret no longer verifies');
  t.ok(verifiesWith(newSecret, after), 'the new secret does');
  t.equal((await hooks.must('GET', `/v1/webhook-endpoints/${endpoint.id}`)).previousSecretExpiresAt, null);
});
