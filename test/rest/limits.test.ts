import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// The database store is what several instances share (test/fleet/two-instances.test.ts); the rules
// are the same whichever store counts.
for (const store of ['memory', 'database'] as const) {
  t.test(`per-token rate limit (${store} store): 429 problem with Retry-After, other tokens unaffected`, async (t) => {
    const { app, auth, config } = await buildTestApp(t, { config: { rateLimitStore: store, rateLimit: { perToken: 5, perIp: 1000 } } });
    t.equal(config.rateLimit.perToken, 5);
    const busy = auth({ org: uniqueOrg('busy'), sub: 'busy' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/me', headers: busy })).statusCode);
    t.same(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const limited = await app.inject({ method: 'GET', url: '/v1/me', headers: busy });
    t.equal(limited.statusCode, 429);
    t.match(limited.headers['content-type'], /problem\+json/);
    t.match(limited.json(), { type: '/problems/rate-limited', status: 429 });
    t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when to come back');
    const other = await app.inject({ method: 'GET', url: '/v1/me', headers: auth({ org: uniqueOrg('calm'), sub: 'calm' }) });
    t.equal(other.statusCode, 200, 'another token has its own budget');
  });

  t.test(`per-IP rate limit (${store} store) applies before authentication`, async (t) => {
    const { app } = await buildTestApp(t, { config: { rateLimitStore: store, rateLimit: { perToken: 1000, perIp: 3 } } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '192.0.2.7' })).statusCode);
    t.same(statuses, [401, 401, 401, 429, 429], 'anonymous floods are cut off too');
    const elsewhere = await app.inject({ method: 'GET', url: '/health', remoteAddress: '192.0.2.8' });
    t.equal(elsewhere.statusCode, 200);
  });
}

t.test('security headers and the CORS allow-list', async (t) => {
  const { app } = await buildTestApp(t, { config: { corsOrigins: ['https://hr.example.com'] } });
  const res = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://hr.example.com' } });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.ok(res.headers['strict-transport-security']);
  t.ok(res.headers['content-security-policy']);
  t.equal(res.headers['access-control-allow-origin'], 'https://hr.example.com');
  const stranger = await app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example.net' } });
  t.notOk(stranger.headers['access-control-allow-origin'], 'an origin off the list gets no CORS grant');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/relationships',
    headers: { origin: 'https://hr.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,idempotency-key' },
  });
  t.equal(preflight.statusCode, 204);
  t.match(preflight.headers['access-control-allow-headers'], /idempotency-key/);
});
