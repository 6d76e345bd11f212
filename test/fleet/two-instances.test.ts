import { sql } from 'drizzle-orm';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import t from 'tap';
import { personInput } from '../helpers/fixtures.ts';
import { startServer, type ChildServer } from '../helpers/child-server.ts';
import { freshDatabase } from '../helpers/database.ts';
import { uniqueOrg } from '../helpers/app.ts';
import { connectSubscriptions } from '../graphql/ws-client.ts';
import { exited, runScript } from '../webhooks/helpers/processes.ts';
import { closedPort, startReceiver } from '../webhooks/helpers/receiver.ts';

// A fleet as deployed: two API processes (src/server.ts) and one worker (scripts/worker.ts) on one
// PostgreSQL database, nothing shared but the database. Each instance and the worker dispatch
// webhooks, so three dispatchers race for every delivery.
if (!process.env.TEST_DATABASE_URL) {
  t.comment('skipped: several processes on one database need TEST_DATABASE_URL (PGlite belongs to one process)');
  t.pass('skipped without TEST_DATABASE_URL');
} else {
  const PER_TOKEN = 40;
  const fresh = await freshDatabase();
  const shared = { DATABASE_URL: fresh.url!, RATE_LIMIT_PER_MINUTE: String(PER_TOKEN), WEBHOOKS_DISPATCH: 'on', WEBHOOK_ALLOW_PRIVATE_URLS: 'true' };
  const instances: ChildServer[] = [await startServer(shared), await startServer(shared)];
  // The worker serves its own /metrics on a port of its own (METRICS_PORT, behind the metrics token).
  const metricsPort = await closedPort();
  const metricsToken = 'fleet-metrics-token-0123456789abcdef';
  const worker = await runScript(
    'scripts/worker.ts',
    { ...shared, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), METRICS_TOKEN: metricsToken },
    /webhook dispatcher and scheduler running/,
  );
  t.teardown(async () => {
    worker.kill('SIGTERM');
    await exited(worker);
    await Promise.all(instances.map((instance) => instance.stop()));
    await fresh.drop();
  });
  const [a, b] = instances as [ChildServer, ChildServer];
  const call = (instance: ChildServer, org: string, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${instance.url}${path}`, {
      method,
      headers: { ...instance.auth(org), ...(body ? { 'content-type': 'application/json' } : {}), ...extra },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  t.test("a token's limit holds across both instances", async (t) => {
    const org = uniqueOrg('fleet-limit');
    const statuses: number[] = [];
    for (let i = 0; i < PER_TOKEN + 4; i++) statuses.push((await call(i % 2 ? b : a, org, 'GET', '/v1/me')).status);
    t.equal(statuses.filter((status) => status === 200).length, PER_TOKEN, `${PER_TOKEN} answered in all, not ${PER_TOKEN} each`);
    t.same(statuses.slice(PER_TOKEN), [429, 429, 429, 429]);
  });

  t.test('an Idempotency-Key sent to both instances at once runs once', async (t) => {
    const org = uniqueOrg('fleet-key');
    const answers = await Promise.all(
      [a, b, a, b].map(async (instance) => {
        for (;;) {
          const response = await call(instance, org, 'POST', '/v1/programmes', { name: 'Once' }, { 'idempotency-key': 'fleet-1' });
          // 409: the same key is running on the other instance; a client waits Retry-After and retries.
          if (response.status !== 409) return { status: response.status, body: (await response.json()) as { id: string } };
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }),
    );
    t.same(answers.map((answer) => answer.status), [201, 201, 201, 201]);
    t.equal(new Set(answers.map((answer) => answer.body.id)).size, 1, 'every caller got the one programme');
    const [row] = await fresh.database.rows<{ n: number }>(sql`select count(*)::int as n from programmes where org_id = ${org}`);
    t.equal(row!.n, 1, 'one row');
  });

  t.test('a subscription on one instance hears a change made on the other', async (t) => {
    const org = uniqueOrg('fleet-sub');
    const must = async (path: string, body: unknown) => {
      const response = await call(b, org, 'POST', path, body);
      if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { id: string };
    };
    const programme = await must('/v1/programmes', { name: 'Heard across' });
    const client = await connectSubscriptions(`${a.url.replace('http', 'ws')}/graphql`, a.auth(org));
    t.teardown(() => client.close());
    t.equal(client.refused, null);
    client.subscribe('stage', 'subscription ($p: ID!) { relationshipStageChanged(programmeId: $p) { relationshipId to } }', { p: programme.id });
    // Subscribing has no acknowledgement: declines on instance B until instance A's subscriber hears one.
    let heard = null;
    const declined = new Set<string>();
    for (let attempt = 0; attempt < 40 && !heard; attempt++) {
      const mentor = await must('/v1/people', personInput());
      const mentee = await must('/v1/people', personInput());
      const relationship = await must('/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
      await must(`/v1/relationships/${relationship.id}/transitions`, { to: 'declined' });
      declined.add(relationship.id);
      heard = await client.next('stage', 500);
    }
    t.equal(heard?.type, 'next', 'instance A heard it');
    t.ok(declined.has(heard?.payload.data.relationshipStageChanged.relationshipId), 'a relationship declined on instance B');
    t.equal(heard?.payload.data.relationshipStageChanged.to, 'declined');
  });

  t.test('webhooks are delivered once each with three dispatchers racing', async (t) => {
    const org = uniqueOrg('fleet-hooks');
    const receiver = await startReceiver();
    t.teardown(() => receiver.close());
    const endpoint = await call(a, org, 'POST', '/v1/webhook-endpoints', { url: receiver.url });
    t.equal(endpoint.status, 201);
    const { id, secret } = (await endpoint.json()) as { id: string; secret: string };
    receiver.secrets = [secret];
    // Within the token's budget of PER_TOKEN a minute, with the endpoint.
    const EVENTS = 30;
    const began = performance.now();
    for (let i = 0; i < EVENTS; i++) t.equal((await call(i % 2 ? b : a, org, 'POST', `/v1/webhook-endpoints/${id}/test`)).status, 202);
    await receiver.waitFor((received) => new Set(received.map((entry) => entry.id)).size >= EVENTS, 60_000);
    const seconds = (performance.now() - began) / 1000;
    // Give a duplicate, if any, time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    t.equal(receiver.received.length, EVENTS, 'no event sent twice');
    t.equal(receiver.uniqueVerified().length, EVENTS, 'every event, signed');
    t.comment(`${EVENTS} events through two instances and a worker delivered in ${seconds.toFixed(2)} s`);
  });

  t.test("the worker's /metrics: its dispatcher rounds, pool and the webhook queue, for the metrics token only", async (t) => {
    const url = `http://127.0.0.1:${metricsPort}/metrics`;
    t.equal((await fetch(url)).status, 401, 'no token, no metrics');
    const response = await fetch(url, { headers: { authorization: `Bearer ${metricsToken}` } });
    t.equal(response.status, 200);
    const families = new Map(parsePrometheusTextFormat(await response.text()).map((family) => [family.name, family]));
    const rounds = families.get('tandem_webhook_dispatch_round_seconds');
    t.equal(rounds?.type, 'HISTOGRAM');
    t.ok(Number(rounds?.metrics[0]?.count) > 0, `the worker's dispatcher ran ${rounds?.metrics[0]?.count} rounds`);
    t.equal(families.get('tandem_db_pool_max')?.metrics[0]?.value, '10', 'its pool');
    t.ok(families.has('tandem_outbox_lag_seconds') && families.has('tandem_webhook_deliveries'), 'the queue, read from the database');
    t.equal(families.get('tandem_scheduler_lag_seconds')?.metrics[0]?.value, '0', 'the scheduler keeps up');
  });
}
