import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

t.test('health and readiness', async (t) => {
  const { app } = await buildTestApp(t);
  const live = await app.inject({ method: 'GET', url: '/health' });
  t.equal(live.statusCode, 200);
  t.same(live.json(), { status: 'ok' });
  const ready = await app.inject({ method: 'GET', url: '/ready' });
  t.equal(ready.statusCode, 200, 'migrated database is ready');
});

t.test('every /v1 route needs a valid bearer token', async (t) => {
  const { app, auth } = await buildTestApp(t);
  const missing = await app.inject({ method: 'GET', url: '/v1/me' });
  t.equal(missing.statusCode, 401);
  t.match(missing.headers['content-type'], /^application\/problem\+json/);
  t.match(missing.headers['www-authenticate'], /^Bearer/);
  t.match(missing.json(), { type: '/problems/unauthenticated', status: 401, instance: '/v1/me' });

  const garbage = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer not.a.jwt' } });
  t.equal(garbage.statusCode, 401);

  const org = uniqueOrg();
  const ok = await app.inject({ method: 'GET', url: '/v1/me', headers: auth({ org, roles: ['manager'], sub: 'u1' }) });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { sub: 'u1', org, roles: ['manager'] });
});

t.test('unknown routes answer a 404 problem', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'GET', url: '/nowhere' });
  t.equal(res.statusCode, 404);
  t.match(res.json(), { type: '/problems/not-found', status: 404 });
});

t.test('the OpenAPI document is served', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  t.equal(res.statusCode, 200);
  t.equal(res.json().openapi, '3.1.0');
  t.ok(res.json().paths['/v1/me'], 'routes are described');
});
