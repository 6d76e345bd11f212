import { sql } from 'drizzle-orm';
import t from 'tap';
import { startServer, type ChildServer } from '../helpers/child-server.ts';
import { freshDatabase } from '../helpers/database.ts';
import { tcpProxy } from '../helpers/tcp-proxy.ts';

// The real server in a child process, behind a TCP proxy in front of PostgreSQL, under concurrent
// reads and keyed writes while its backends are terminated in bursts (a failover does this) and the
// proxy is stopped and started again. The process must stay up, answer only 2xx or a 503 problem
// with Retry-After, and lose or double nothing it acknowledged.
if (!process.env.TEST_DATABASE_URL) {
  t.test('backends terminated under load', { skip: 'PostgreSQL only (TEST_DATABASE_URL): embedded PGlite has no backends to terminate' }, () => {});
} else {
  const fresh = await freshDatabase();
  const target = new URL(fresh.url!);
  const proxy = await tcpProxy({ host: '127.0.0.1', port: Number(target.port || 5432) });
  const proxied = new URL(fresh.url!);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  let server: ChildServer | undefined;
  t.teardown(async () => {
    await server?.kill();
    await proxy.stop();
    await fresh.drop();
  });

  t.test('bursts of pg_terminate_backend and a stopped proxy under reads and keyed writes', async (t) => {
    // The webhook dispatcher and the scheduler run too, as in production: their loops meet the faults as well.
    server = await startServer({ DATABASE_URL: proxied.toString(), DATABASE_CONNECT_TIMEOUT: '2s', REQUEST_TIMEOUT: '5s', WEBHOOKS_DISPATCH: 'on', JOBS_RUN: 'on' });
    const current = server;
    let exits = 0;
    void current.exited.then(() => exits++);
    const org = `terminate-${process.pid}`;
    const headers = { ...current.auth(org), 'content-type': 'application/json' };
    const statuses = new Map<number, number>();
    // Answers by phase too: while backends are terminated, while the proxy is down, after it is back.
    let phase: 'bursts' | 'proxyStopped' | 'proxyBack' = 'bursts';
    const byPhase: Record<string, Record<number, number>> = { bursts: {}, proxyStopped: {}, proxyBack: {} };
    const count = (status: number) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      byPhase[phase]![status] = (byPhase[phase]![status] ?? 0) + 1;
    };
    const badProblems: string[] = [];
    const acknowledged = new Map<string, string>();
    let stopping = false;

    const send = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${current.url}${path}`, { ...init, headers: { ...headers, ...(init.headers as object) }, signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
      // No answer at all (the process gone, the connection cut): counted as status 0, never expected.
      const body = response ? await response.text().catch(() => '') : '';
      if (!response || (response.status >= 200 && !body && response.status !== 204)) {
        count(0);
        if (exits) await new Promise((resolve) => setTimeout(resolve, 200));
        return { status: 0, body };
      }
      count(response.status);
      if (response.status === 503) {
        const type = response.headers.get('content-type') ?? '';
        const retryAfter = Number(response.headers.get('retry-after'));
        if (!type.startsWith('application/problem+json') || !(retryAfter > 0) || JSON.parse(body).code !== 'UNAVAILABLE') badProblems.push(`${type} ${retryAfter} ${body.slice(0, 200)}`);
      }
      return { status: response.status, body };
    };

    const reader = async () => {
      while (!stopping) {
        // A client that was told 503 pauses a little before its next read.
        if ((await send('/v1/programmes?limit=5')).status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    let nextWrite = 0;
    const writer = async () => {
      while (!stopping) {
        const i = nextWrite++;
        // A keyed write is sent again with its key until it is acknowledged (at most 40 tries).
        for (let attempt = 0; attempt < 40; attempt++) {
          const answer = await send('/v1/people', { method: 'POST', headers: { 'idempotency-key': `terminate-${i}` }, body: JSON.stringify({ name: `Person ${i}`, externalId: `TERM-${i}` }) });
          if (answer.status === 201) {
            acknowledged.set(`TERM-${i}`, (JSON.parse(answer.body) as { id: string }).id);
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const terminate = () =>
      fresh.database.rows<{ n: number }>(
        sql`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where datname = current_database() and application_name = 'tandem' and pid <> pg_backend_pid()`,
      );
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    const started = performance.now();
    const load = [...Array.from({ length: 4 }, reader), ...Array.from({ length: 4 }, writer)];
    const bursts = 4;
    let terminated = 0;
    for (let burst = 0; burst < bursts; burst++) {
      await pause(1_000);
      // A burst: every backend of the app, three times in quick succession.
      for (let round = 0; round < 3; round++) {
        terminated += (await terminate())[0]!.n;
        await pause(50);
      }
    }
    await pause(1_000);
    phase = 'proxyStopped';
    await proxy.stop();
    await pause(2_000);
    await proxy.start();
    phase = 'proxyBack';
    await pause(2_000);
    stopping = true;
    await Promise.all(load);
    const seconds = (performance.now() - started) / 1000;

    let ready = false;
    for (let i = 0; i < 50 && !ready; i++) {
      ready = (await fetch(`${current.url}/ready`).then((r) => r.status, () => 0)) === 200;
      if (!ready) await pause(200);
    }
    const rows = await fresh.database.rows<{ id: string; external_id: string }>(sql`select id, external_id from people where org_id = ${org}`);
    const stored = new Map<string, string[]>();
    for (const row of rows) stored.set(row.external_id, [...(stored.get(row.external_id) ?? []), row.id]);
    const lost = [...acknowledged].filter(([externalId, id]) => !stored.get(externalId)?.includes(id)).length;
    const duplicates = rows.length - stored.size;
    const answers = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    t.comment(`termination fault figures: ${JSON.stringify({ bursts, backendsTerminated: terminated, proxyStops: 1, seconds: Number(seconds.toFixed(1)), requests: total, answers, byPhase, acknowledgedWrites: acknowledged.size, lost, duplicates, processExits: exits })}`);

    t.equal(exits, 0, 'the process never exited');
    if (exits) t.comment(current.output().slice(-3000));
    t.ok(terminated >= bursts, `${terminated} backends terminated in ${bursts} bursts`);
    t.same([...statuses.keys()].filter((s) => !(s >= 200 && s < 300) && s !== 503), [], 'every answer is 2xx or 503');
    t.same(badProblems, [], 'every 503 is a problem with Retry-After');
    t.ok(ready, '/ready answers 200 again without a restart');
    t.ok(acknowledged.size > 0, `${acknowledged.size} writes acknowledged`);
    t.equal(lost, 0, 'acknowledged writes lost: 0');
    t.equal(duplicates, 0, 'duplicates: 0');
    t.ok((await fetch(`${current.url}/v1/programmes`, { headers }).then((r) => r.status, () => 0)) === 200, 'served again after the faults');
  });
}
