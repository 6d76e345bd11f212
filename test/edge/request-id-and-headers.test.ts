import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { once } from 'node:events';
import { createServer } from 'node:http';
import helmet from 'helmet';
import { SAFE_REQUEST_ID, helmetOptions } from '../../src/rest/protection.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

const { app, auth, config } = await buildTestApp(t);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

t.test('a safe X-Request-Id is kept; anything else is replaced by a new id', async (t) => {
  const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'lb-7f3a.42:9_x' } });
  t.equal(kept.headers['x-request-id'], 'lb-7f3a.42:9_x');
  for (const unsafe of ['<script>alert(1)</script>', 'a'.repeat(129), 'two words', 'é', '"quoted"', 'a/b', '${jndi:x}']) {
    const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': unsafe } });
    t.match(res.headers['x-request-id'], UUID, `${JSON.stringify(unsafe.slice(0, 20))} is replaced`);
  }
  const none = await app.inject({ method: 'GET', url: '/health' });
  t.match(none.headers['x-request-id'], UUID, 'none given: one is made');
});

t.test('property: the echoed id is the given one exactly when it is safe, and always safe', async () => {
  const printable = fc.string({ unit: fc.constantFrom(...'abcXYZ019._:-<>"\' /\\;=%&é'.split('')), minLength: 0, maxLength: 140 });
  await fc.assert(
    fc.asyncProperty(printable, async (given) => {
      const res = await app.inject({ method: 'GET', url: '/health', headers: given ? { 'x-request-id': given } : {} });
      const echoed = String(res.headers['x-request-id']);
      if (!SAFE_REQUEST_ID.test(echoed)) return false;
      return SAFE_REQUEST_ID.test(given) ? echoed === given : UUID.test(echoed);
    }),
    { numRuns: 150 },
  );
});

t.test('every answer carries the security headers and the request id, framework errors included', async (t) => {
  const cases: [string, InjectOptions][] = [
    ['malformed URL (a framework error before routing)', { method: 'GET', url: '/v1/people/%zz' }],
    ['malformed URL, authenticated', { method: 'GET', url: '/v1/people/%zz', headers: auth({ org: uniqueOrg() }) }],
    ['unknown route', { method: 'GET', url: '/nowhere' }],
    ['no token', { method: 'GET', url: '/v1/me' }],
    ['bad JSON body', { method: 'POST', url: '/v1/programmes', headers: { ...auth({ org: uniqueOrg() }), 'content-type': 'application/json' }, payload: '{' }],
    ['unsupported media type', { method: 'POST', url: '/v1/programmes', headers: { ...auth({ org: uniqueOrg() }), 'content-type': 'text/csv' }, payload: 'a,b' }],
    ['probe', { method: 'GET', url: '/health' }],
    ['GraphQL', { method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } }],
  ];
  for (const [name, request] of cases) {
    const res = await app.inject({ ...request, headers: { ...request.headers, 'x-request-id': `case-${name.length}` } });
    t.ok(res.statusCode < 500, `${name}: ${res.statusCode}`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${name}: nosniff`);
    t.ok(res.headers['content-security-policy'], `${name}: CSP`);
    t.ok(res.headers['strict-transport-security'], `${name}: HSTS`);
    t.equal(res.headers['x-frame-options'], 'SAMEORIGIN', `${name}: frame options`);
    t.equal(res.headers['x-request-id'], `case-${name.length}`, `${name}: request id`);
  }
  const malformed = await app.inject({ method: 'GET', url: '/v1/people/%zz' });
  t.equal(malformed.statusCode, 400);
  t.match(malformed.headers['content-type'], /problem\+json/);
});

t.test('the security headers are exactly those helmet itself writes with our settings (they are recorded once and replayed)', async (t) => {
  const secureHeaders = helmet(helmetOptions(config));
  const server = createServer((request, response) => secureHeaders(request, response, () => response.end()));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as { port: number };
  const fromHelmet = await fetch(`http://127.0.0.1:${port}/`);
  const ignored = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);
  const helmetHeaders = Object.fromEntries([...fromHelmet.headers].filter(([name]) => !ignored.has(name)));
  t.ok(Object.keys(helmetHeaders).length >= 10, `helmet wrote ${Object.keys(helmetHeaders).length} headers`);
  for (const url of ['/health', '/v1/me', '/nowhere']) {
    const res = await app.inject({ method: 'GET', url });
    for (const [name, value] of Object.entries(helmetHeaders)) t.equal(res.headers[name], value, `${url}: ${name}`);
  }
});

t.test('authenticated answers are never stored by a shared cache', async (t) => {
  const headers = auth({ org: uniqueOrg() });
  for (const [method, url] of [['GET', '/v1/me'], ['GET', '/v1/programmes']] as const) {
    const res = await app.inject({ method, url, headers });
    t.equal(res.headers['cache-control'], 'no-store', `${method} ${url} (${res.statusCode})`);
  }
  const created = await app.inject({ method: 'POST', url: '/v1/programmes', headers, payload: { name: 'Cached?' } });
  t.equal(created.statusCode, 201);
  t.equal(created.headers['cache-control'], 'no-store', 'a created resource');
  const graphql = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: '{ viewer { org } }' } });
  t.equal(graphql.statusCode, 200);
  t.equal(graphql.headers['cache-control'], 'no-store', 'GraphQL over HTTP');
  const refused = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer nonsense' } });
  t.equal(refused.headers['cache-control'], 'no-store', 'a refused token');
});
