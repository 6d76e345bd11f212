import { sql } from 'drizzle-orm';
import t from 'tap';
import { systemClock } from '../../src/domain/context.ts';
import { createHttpSender } from '../../src/webhooks/http-sender.ts';
import type { OutboundRequest } from '../../src/webhooks/sender.ts';
import { createWebhookServices } from '../../src/webhooks/services.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

// Private URLs are NOT allowed here. Nothing in this file connects anywhere but 127.0.0.1, and
// the one test that sends shows the guard refusing before any connection is made.
const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: false } } });

const endpointCount = async () => (await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_endpoints`))[0]!.n;

t.test('URLs on internal addresses are refused on create, without resolving or connecting', async (t) => {
  const hooks = webhookApi(app, auth({ org: uniqueOrg('ssrf'), roles: ['admin'] }));
  const before = await endpointCount();
  const refused = [
    'http://10.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]:8443/hook',
    'https://127.0.0.1/hook',
    'https://127.1/hook',
    'https://2130706433/hook',
    'https://0x7f000001/hook',
    'https://0.0.0.0/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.1/hook',
    'https://100.64.0.1/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:a9fe:a9fe]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://[fe80::1]/hook',
    'https://[fc00::1]/hook',
    'https://[fd00:ec2::254]/hook',
    'https://[64:ff9b::a9fe:a9fe]/hook',
    'https://[::]/hook',
    'https://user:secret@hooks.example.com/hook',
    'ftp://hooks.example.com/hook',
  ];
  for (const url of refused) {
    const response = await hooks.call('POST', '/v1/webhook-endpoints', { url });
    t.equal(response.status, 400, `${url} is refused`);
    t.equal(response.body.errors?.[0]?.path, 'url', `${url}: the problem names the url`);
  }
  t.equal(await endpointCount(), before, 'nothing written');
});

t.test('a name that resolves to an internal address is refused (resolver stubbed)', async (t) => {
  const answers: Record<string, string[]> = {
    'hooks.example.com': ['93.184.216.34'],
    'internal.example.com': ['10.1.2.3'],
    'mixed.example.com': ['93.184.216.34', '192.168.1.10'],
    'metadata.example.com': ['169.254.169.254'],
    'mapped.example.com': ['::ffff:169.254.169.254'],
    'loopback6.example.com': ['::1'],
  };
  const webhooks = createWebhookServices({
    db: database.db,
    clock: systemClock,
    guard: {
      allowPrivateUrls: false,
      resolve: async (host) => {
        const found = answers[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found;
      },
    },
  });
  const actor = { org: uniqueOrg('ssrf-dns'), sub: 'admin', roles: ['admin' as const] };
  for (const host of ['internal.example.com', 'mixed.example.com', 'metadata.example.com', 'mapped.example.com', 'loopback6.example.com', 'nowhere.example.com']) {
    await t.rejects(webhooks.createWebhookEndpoint(actor, { url: `https://${host}/hook` }), { code: 'BAD_USER_INPUT' }, `${host} is refused`);
  }
  const endpoint = await webhooks.createWebhookEndpoint(actor, { url: 'https://hooks.example.com/hook' });
  t.equal(endpoint.url, 'https://hooks.example.com/hook', 'a public name is accepted');
  await t.rejects(webhooks.updateWebhookEndpoint(actor, { id: endpoint.id, changes: { url: 'https://internal.example.com/hook' } }), { code: 'BAD_USER_INPUT' }, 'and checked again on update');
  t.equal((await webhooks.getWebhookEndpoint(actor, { id: endpoint.id })).url, 'https://hooks.example.com/hook', 'the URL is unchanged');
});

t.test('the address is checked again at send time: a name that turned private is never contacted', async (t) => {
  const org = uniqueOrg('ssrf-send');
  let answer = ['93.184.216.34'];
  const guard = { allowPrivateUrls: false, resolve: async () => answer };
  const webhooks = createWebhookServices({ db: database.db, clock: systemClock, guard });
  const endpoint = await webhooks.createWebhookEndpoint({ org, sub: 'admin', roles: ['admin'] }, { url: 'https://rebinding.example.com/hook' });
  answer = ['169.254.169.254']; // DNS now points at the metadata service

  const sent: OutboundRequest[] = [];
  const dispatcher = testDispatcher(database, {
    guard,
    sender: async (request) => {
      sent.push(request);
      throw new Error('the sender must not be reached');
    },
  });
  await openRelationships(app, auth({ org, roles: ['admin'] }), 1);
  await dispatcher.drain();
  t.same(sent, [], 'no request was made');
  const attempts = await webhookApi(app, auth({ org, roles: ['admin'] })).must('GET', `/v1/webhook-endpoints/${endpoint.id}/attempts`);
  t.match(attempts.items, [{ status: 'failed', error: /Refused before sending.*169\.254\.169\.254/ }]);
});

t.test('the HTTP sender checks the addresses it connects to (DNS rebinding) and refuses before connecting', async (t) => {
  const receiver = await startReceiver();
  t.teardown(receiver.close);
  const sender = createHttpSender({ allowPrivateUrls: false });
  await t.rejects(
    sender({ url: `http://localhost:${receiver.port}/hook`, headers: {}, body: '{}', signal: AbortSignal.timeout(5000) }),
    /refused: localhost resolves to a private or reserved address/,
  );
  t.equal(receiver.received.length, 0, 'no connection reached the receiver');
  const allowed = createHttpSender({ allowPrivateUrls: true });
  const response = await allowed({ url: receiver.url, headers: {}, body: '{}', signal: AbortSignal.timeout(5000) });
  t.equal(response.status, 204, 'with private URLs allowed (development), 127.0.0.1 is reached');
});
