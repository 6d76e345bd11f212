import t from 'tap';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp, testConfig } from '../helpers/app.ts';

t.test('/health and /ready answer 200 while the client is rate limited', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimit: { perToken: 1000, perIp: 3 } } });
  const from = { remoteAddress: '198.51.100.4' };
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/me', ...from })).statusCode);
  t.same(statuses, [401, 401, 401, 429, 429], 'the client is over its per-IP budget');
  for (let i = 0; i < 10; i++) {
    for (const url of ['/health', '/ready']) {
      const res = await app.inject({ method: 'GET', url, ...from });
      t.equal(res.statusCode, 200, `${url} #${i + 1} still answers`);
      t.notOk(res.headers['x-ratelimit-limit'], `${url} is not counted against the budget`);
    }
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', ...from })).statusCode, 429, 'the API stays limited');
});

t.test('without TRUST_PROXY, X-Forwarded-For is ignored: a client cannot dodge its limit', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimit: { perToken: 1000, perIp: 2 } } });
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '10.0.0.9', headers: { 'x-forwarded-for': `203.0.113.${i}` } });
    statuses.push(res.statusCode);
  }
  t.same(statuses, [401, 401, 429, 429]);
});

t.test('behind a trusted load balancer every client has its own budget, and nobody else is believed', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimit: { perToken: 1000, perIp: 2 }, trustProxy: ['10.0.0.0/8'] } });
  const via = (balancer: string, client: string) =>
    app.inject({ method: 'GET', url: '/v1/me', remoteAddress: balancer, headers: { 'x-forwarded-for': client } }).then((res) => res.statusCode);
  t.same([await via('10.0.0.1', '203.0.113.1'), await via('10.0.0.1', '203.0.113.1'), await via('10.0.0.1', '203.0.113.1')], [401, 401, 429], 'one client is limited');
  t.equal(await via('10.0.0.1', '203.0.113.2'), 401, 'another client behind the same balancer is not');
  t.same([await via('192.0.2.50', '203.0.113.3'), await via('192.0.2.50', '203.0.113.4'), await via('192.0.2.50', '203.0.113.5')], [401, 401, 429], 'an untrusted sender is its own address, whatever it forwards');
});

t.test('TRUST_PROXY: a hop count trusts that many proxies', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimit: { perToken: 1000, perIp: 1 }, trustProxy: 1 } });
  const via = (forwarded: string) => app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': forwarded } }).then((res) => res.statusCode);
  t.equal(await via('198.51.100.1, 203.0.113.7'), 401);
  t.equal(await via('198.51.100.2, 203.0.113.7'), 429, 'the client is the address one hop out; what lies beyond is not believed');
  t.equal(await via('198.51.100.1, 203.0.113.8'), 401, 'another client');
});

t.test('TRUST_PROXY is parsed: true, false, hops, addresses and CIDR blocks; anything else names the variable', async (t) => {
  t.equal(loadConfig({}).trustProxy, false, 'off by default');
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10,fd00::/8,loopback' }).trustProxy, ['10.0.0.0/8', '192.168.1.10', 'fd00::/8', 'loopback']);
  for (const bad of ['banana', '10.0.0.0/33', '10.0.0.0/8,', '::1/129', '300.1.1.1', '10.0.0.0/8/8', ',']) {
    t.throws(() => loadConfig({ TRUST_PROXY: bad }), /TRUST_PROXY: must be/, `${JSON.stringify(bad)} is refused`);
  }
  t.equal(testConfig().trustProxy, false);
});
