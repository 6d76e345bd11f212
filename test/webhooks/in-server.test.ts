import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, webhookApi } from './helpers/world.ts';

// The wiring of src/app.ts: with WEBHOOKS_DISPATCH on, the server dispatches by itself and
// stops its dispatcher when it closes.
const { app, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: true, allowPrivateUrls: true } } });

t.test('the server delivers by itself when WEBHOOKS_DISPATCH is on', async (t) => {
  const org = uniqueOrg('wh-server');
  const headers = auth({ org, roles: ['admin'] });
  const receiver = await startReceiver();
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 2);
  await receiver.waitFor((received) => received.length === 2, 10_000);
  t.equal(receiver.uniqueVerified().length, 2, 'both events, verified');
  const attempts = await webhookApi(app, headers).must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts`);
  t.equal(attempts.items.length, 2);
});
