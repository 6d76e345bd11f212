import { createServer } from 'node:net';
import t from 'tap';
import { launchServer } from '../helpers/child-server.ts';
import { freshDatabase } from '../helpers/database.ts';
import { tcpProxy } from '../helpers/tcp-proxy.ts';

// Starting with PostgreSQL unreachable: one line that says what is wrong and what to check, retries
// with backoff for DATABASE_START_TIMEOUT, then an exit with status 1: no stack, no password.
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

t.test('a database that never answers: one line, retries, exit 1 after DATABASE_START_TIMEOUT', async (t) => {
  const port = await closedPort();
  const started = performance.now();
  const server = await launchServer({ DATABASE_URL: `postgres://tandem:sekret-password@127.0.0.1:${port}/tandem`, DATABASE_START_TIMEOUT: '3s' });
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([server.exited, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)))]);
  clearTimeout(timer);
  if (exit === 'hung') server.child.kill('SIGKILL');
  const seconds = (performance.now() - started) / 1000;
  const output = server.output();
  t.comment(`exited after ${seconds.toFixed(1)} s with ${JSON.stringify(exit)}; said:\n${output}`);
  t.same(exit, { code: 1, signal: null }, 'exits with status 1');
  t.ok(seconds < 20, `gave up within the start timeout plus start-up (${seconds.toFixed(1)} s)`);
  t.match(output, `PostgreSQL at 127.0.0.1:${port}/tandem is unreachable (ECONNREFUSED`, 'says what is wrong, and where');
  t.match(output, /Check DATABASE_URL/, 'says what to check');
  t.match(output, /retrying for up to 3 s/, 'says it retries');
  t.match(output, /could not reach PostgreSQL .* within 3 s/, 'says when it gives up');
  t.equal(output.trim().split('\n').length, 2, 'two lines: the first failure and the end');
  t.notMatch(output, /\n\s+at /, 'no stack');
  t.notMatch(output, /sekret-password/, 'never the password');
});

t.test('the worker too: the same line, then exit 1', async (t) => {
  const port = await closedPort();
  const worker = await launchServer({ DATABASE_URL: `postgres://tandem:sekret-password@127.0.0.1:${port}/tandem`, DATABASE_START_TIMEOUT: '1s' }, undefined, 'scripts/worker.ts');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([worker.exited, new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 30_000)))]);
  clearTimeout(timer);
  if (exit === 'hung') worker.child.kill('SIGKILL');
  const output = worker.output();
  t.same(exit, { code: 1, signal: null }, 'exits with status 1');
  t.match(output, /is unreachable .*Check DATABASE_URL/, 'says what is wrong and what to check');
  t.match(output, /could not reach PostgreSQL .* within 1 s/, 'says when it gives up');
  t.notMatch(output, /\n\s+at /, 'no stack');
  t.notMatch(output, /sekret-password/, 'never the password');
});

const onPostgres = process.env.TEST_DATABASE_URL ? {} : { skip: 'PostgreSQL only (TEST_DATABASE_URL): a database to bring up' };
t.test('a database that comes up during the wait: the server starts', onPostgres, async (t) => {
  const fresh = await freshDatabase();
  const target = new URL(fresh.url!);
  const proxy = await tcpProxy({ host: '127.0.0.1', port: Number(target.port || 5432) });
  await proxy.stop();
  const proxied = new URL(fresh.url!);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const server = await launchServer({ DATABASE_URL: proxied.toString(), DATABASE_START_TIMEOUT: '30s' });
  t.teardown(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
    await proxy.stop();
    await fresh.drop();
  });
  const waitFor = async (what: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 300; i++) {
      if (await what()) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  };
  t.ok(await waitFor(() => server.output().includes('is unreachable')), 'it says it is waiting for the database');
  await proxy.start();
  const url = `http://127.0.0.1:${server.env.PORT}`;
  t.ok(await waitFor(() => fetch(`${url}/ready`).then((r) => r.status === 200, () => false)), 'ready once the database is, without a restart');
});
