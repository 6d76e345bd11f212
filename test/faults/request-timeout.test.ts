import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// A request that waits longer than REQUEST_TIMEOUT (here on a table another transaction holds
// locked; on PGlite, its one connection held) is answered a 503 problem with Retry-After when the
// time is up, and /ready gives up after READY_TIMEOUT: a waiting client learns it, it does not hang.
t.test('REQUEST_TIMEOUT and READY_TIMEOUT: 503 problems in time, then served again', async (t) => {
  const { app, database, auth } = await buildTestApp(t, { config: { timeouts: { request: 1, ready: 1 } } });
  const headers = auth({ org: uniqueOrg('timeout') });
  t.equal((await app.inject({ method: 'GET', url: '/v1/programmes', headers })).statusCode, 200);

  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const holder = database.db.transaction(async (tx) => {
    await tx.execute(sql`lock table programmes, drizzle.__drizzle_migrations in access exclusive mode`);
    locked();
    await held;
  });
  await lockTaken;
  try {
    const timed = async (url: string) => {
      const started = performance.now();
      const response = await app.inject({ method: 'GET', url, headers });
      return { response, seconds: (performance.now() - started) / 1000 };
    };
    const [read, ready, query] = await Promise.all([
      timed('/v1/programmes'),
      timed('/ready'),
      (async () => {
        const started = performance.now();
        const response = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: '{ programmes { nodes { id } } }' } });
        return { response, seconds: (performance.now() - started) / 1000 };
      })(),
    ]);
    t.comment(`GraphQL: ${query.response.statusCode} after ${query.seconds.toFixed(2)} s`);
    t.equal(query.response.statusCode, 503, 'GraphQL: 503');
    t.match(query.response.json().errors[0].extensions, { code: 'UNAVAILABLE', retryAfter: Number }, 'GraphQL: extensions.code UNAVAILABLE with retryAfter');
    t.ok(query.seconds < 4, `GraphQL: answered after ${query.seconds.toFixed(2)} s (ceiling 4 s)`);
    t.comment(`a read waiting on a lock: ${read.response.statusCode} after ${read.seconds.toFixed(2)} s; /ready ${ready.response.statusCode} after ${ready.seconds.toFixed(2)} s`);
    for (const [what, { response, seconds }] of Object.entries({ read, ready })) {
      t.equal(response.statusCode, 503, `${what}: 503`);
      t.match(response.headers['content-type'], /application\/problem\+json/, `${what}: a problem`);
      t.match(response.json(), { type: '/problems/service-unavailable', code: 'UNAVAILABLE' });
      t.ok(Number(response.headers['retry-after']) > 0, `${what}: Retry-After ${response.headers['retry-after']}`);
      t.ok(seconds < 4, `${what}: answered after ${seconds.toFixed(2)} s (timeout 1 s, ceiling 4 s)`);
    }
  } finally {
    release();
    await holder;
  }
  t.equal((await app.inject({ method: 'GET', url: '/v1/programmes', headers })).statusCode, 200, 'served again once the lock is gone');
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'ready again');
});
