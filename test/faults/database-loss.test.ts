import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { openDatabase } from '../../src/db/client.ts';
import { isConnectionFailure } from '../../src/db/errors.ts';
import { testConfig, uniqueOrg } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/database.ts';
import { tcpProxy } from '../helpers/tcp-proxy.ts';

// The database goes away under a running server: its connections killed, then the server refusing
// connections altogether, closed to new connections, or silent. Every answer meanwhile is a 503
// problem with Retry-After (never a 500, never a hang), /ready says 503 within its own timeout, and
// the service recovers by itself when the database is back.
if (!process.env.TEST_DATABASE_URL) {
  t.test('the database lost under a running server', { skip: 'PostgreSQL only (TEST_DATABASE_URL): embedded PGlite lives in the process and cannot be lost on its own' }, () => {});
} else {
  const { database: direct, drop, url } = await freshDatabase();
  const target = new URL(url!);
  const proxy = await tcpProxy({ host: '127.0.0.1', port: Number(target.port || 5432) });
  const proxied = new URL(url!);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  // Short limits, so a silent database is noticed in a test's time.
  const timeouts = { connect: 1, statement: 1, query: 2, idleInTransaction: 5 };
  const database = await openDatabase({ kind: 'postgres', url: proxied.toString(), maxConnections: 4, timeouts });
  const config = testConfig({ timeouts: { request: 4, ready: 1 } });
  const admin = postgres(process.env.TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = target.pathname.slice(1);
  const app = await buildApp({ config, database });
  t.teardown(async () => {
    await proxy.start().catch(() => {});
    await app.close();
    await database.close();
    await proxy.stop();
    await admin.unsafe(`alter database ${name} allow_connections true`);
    await admin.end();
    await drop();
  });
  const terminateApp = () =>
    direct.rows<{ n: number }>(sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  const waitReady = async () => {
    for (let i = 0; i < 50; i++) {
      if ((await app.inject({ method: 'GET', url: '/ready' })).statusCode === 200) return true;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return false;
  };
  const token = signDevelopmentToken(config, { org: uniqueOrg('loss'), roles: ['admin'], sub: 'admin' });
  const headers = { authorization: `Bearer ${token}` };
  const rest = (method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const graphql = (query: string) => app.inject({ method: 'POST', url: '/graphql', headers, payload: { query } });

  const expectUnavailable = (t: Test, response: Awaited<ReturnType<typeof rest>>, what: string) => {
    t.equal(response.statusCode, 503, `${what}: 503`);
    t.match(response.headers['content-type'], /application\/problem\+json/);
    t.match(response.json(), { type: '/problems/service-unavailable', status: 503, code: 'UNAVAILABLE' });
    t.ok(Number(response.headers['retry-after']) > 0, `${what}: Retry-After ${response.headers['retry-after']}`);
  };

  t.test('the limits are set on every session; a statement past them is "unavailable", not a bug', async (t) => {
    const [settings] = await database.rows<{ statement: string; idle: string }>(
      sql`select current_setting('statement_timeout') as statement, current_setting('idle_in_transaction_session_timeout') as idle`,
    );
    t.same(settings, { statement: '1s', idle: '5s' });
    const slow = await database.rows(sql`select pg_sleep(4)`).then(() => undefined, (error: unknown) => error);
    t.ok(isConnectionFailure(slow), `a 4 s statement is stopped: ${(slow as { cause?: { code?: string } })?.cause?.code ?? (slow as { code?: string })?.code}`);
  });

  t.test('backends terminated: at worst a 503, never a 500, then served again', async (t) => {
    t.equal((await rest('POST', '/v1/programmes', { name: 'Before' })).statusCode, 201);
    const [killed] = await direct.rows<{ n: number }>(
      sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    t.ok(killed!.n >= 1, `${killed!.n} backend(s) of the app terminated`);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await rest('GET', '/v1/programmes');
      statuses.push(response.statusCode);
      if (response.statusCode === 503) expectUnavailable(t, response, 'a request on a terminated connection');
    }
    t.ok(statuses.every((s) => s === 200 || s === 503), `statuses ${statuses.join(',')}`);
    t.equal(statuses.at(-1), 200, 'served again without a restart');
  });

  t.test('the database refuses connections: 503 everywhere, /ready 503; back when it returns', async (t) => {
    await proxy.stop();
    expectUnavailable(t, await rest('GET', '/v1/programmes'), 'a read');
    expectUnavailable(t, await rest('POST', '/v1/programmes', { name: 'While down' }), 'a write');
    expectUnavailable(t, await rest('POST', '/v1/programmes', { name: 'While down, keyed' }).then((r) => r), 'a second write');
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expectUnavailable(t, ready, '/ready');
    const query = await graphql('{ programmes { nodes { id } } }');
    t.equal(query.statusCode, 200, 'GraphQL answers the execution');
    t.match(query.json().errors[0].extensions, { code: 'UNAVAILABLE', retryAfter: Number });

    await proxy.start();
    let back = false;
    for (let i = 0; i < 50 && !back; i++) {
      back = (await app.inject({ method: 'GET', url: '/ready' })).statusCode === 200;
      if (!back) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    t.ok(back, '/ready says ready again, without a restart');
    t.equal((await rest('GET', '/v1/programmes')).statusCode, 200);
    t.equal((await rest('POST', '/v1/programmes', { name: 'After' })).statusCode, 201);
  });

  t.test('the database closed to connections (ALLOW_CONNECTIONS false): 503, not 500; back when reopened', async (t) => {
    t.equal((await rest('GET', '/v1/programmes')).statusCode, 200);
    await admin.unsafe(`alter database ${name} allow_connections false`);
    await terminateApp();
    let refused: Awaited<ReturnType<typeof rest>> | undefined;
    for (let i = 0; i < 6 && !refused; i++) {
      const response = await rest('GET', '/v1/programmes');
      t.not(response.statusCode, 500, 'never a 500');
      if (response.statusCode === 503) refused = response;
    }
    t.ok(refused, 'a read while the database refuses connections is answered 503');
    if (refused) expectUnavailable(t, refused, 'a read');
    expectUnavailable(t, await rest('POST', '/v1/programmes', { name: 'While closed' }), 'a write');
    expectUnavailable(t, await app.inject({ method: 'GET', url: '/ready' }), '/ready');
    const query = await graphql('{ programmes { nodes { id } } }');
    t.match(query.json().errors[0].extensions, { code: 'UNAVAILABLE' }, 'GraphQL: extensions.code UNAVAILABLE');
    await admin.unsafe(`alter database ${name} allow_connections true`);
    t.ok(await waitReady(), '/ready says ready again');
    t.equal((await rest('POST', '/v1/programmes', { name: 'Reopened' })).statusCode, 201);
  });

  t.test('a black-holed database: 503 problems within seconds, not hangs; back when the network is', async (t) => {
    t.equal((await rest('GET', '/v1/programmes')).statusCode, 200);
    proxy.blackhole();
    const timed = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, seconds: (performance.now() - started) / 1000 };
    };
    const read = await timed(() => rest('GET', '/v1/programmes'));
    const write = await timed(() => rest('POST', '/v1/programmes', { name: 'Into the void' }));
    const ready = await timed(() => app.inject({ method: 'GET', url: '/ready' }));
    const query = await timed(() => graphql('{ programmes { nodes { id } } }'));
    t.comment(`black hole: read ${read.result.statusCode} in ${read.seconds.toFixed(1)} s, write ${write.result.statusCode} in ${write.seconds.toFixed(1)} s, /ready ${ready.result.statusCode} in ${ready.seconds.toFixed(1)} s, GraphQL in ${query.seconds.toFixed(1)} s`);
    expectUnavailable(t, read.result, 'a read');
    expectUnavailable(t, write.result, 'a write');
    expectUnavailable(t, ready.result, '/ready');
    t.match(query.result.json().errors?.[0]?.extensions, { code: 'UNAVAILABLE' }, 'GraphQL: UNAVAILABLE');
    for (const [what, { seconds }] of Object.entries({ read, write, query })) t.ok(seconds < 8, `${what} answered in ${seconds.toFixed(1)} s (ceiling 8 s)`);
    t.ok(ready.seconds < 3, `/ready answered in ${ready.seconds.toFixed(1)} s (ceiling 3 s)`);
    proxy.heal();
    t.ok(await waitReady(), '/ready says ready again');
    t.equal((await rest('GET', '/v1/programmes')).statusCode, 200, 'served again');
    t.equal((await rest('POST', '/v1/programmes', { name: 'After the black hole' })).statusCode, 201);
  });
}
