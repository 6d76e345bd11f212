import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { runUseCase } from '../../src/domain/bind-use-cases.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
let offset = 0;
const clock = () => new Date(Date.now() + offset);
const { app, auth, database } = await buildTestApp(t, { clock, config: { metrics: { token: METRICS_TOKEN }, rateLimit: { perToken: 1_000_000, perIp: 3 } } });
const bearer = { authorization: `Bearer ${METRICS_TOKEN}` };
// The per-IP limit of 3 a minute applies to every test's requests: each comes from its own address.
let address = 0;
const from = () => `10.9.0.${++address}`;

/**
 * A scrape, parsed. The parser folds a histogram's labelled series into one (it keeps only
 * unlabelled histograms), so each histogram is also read as untyped: its `_bucket`, `_count` and
 * `_sum` series come back with their labels, one family per label set, merged here by name.
 */
async function scrape(): Promise<Map<string, MetricFamily>> {
  const response = await app.inject({ method: 'GET', url: '/metrics', headers: bearer, remoteAddress: from() });
  if (response.statusCode !== 200) throw new Error(`scrape answered ${response.statusCode}: ${response.body}`);
  const typed = parsePrometheusTextFormat(response.body);
  const series = parsePrometheusTextFormat(response.body.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'));
  const families = new Map<string, MetricFamily>();
  for (const family of series) {
    const seen = families.get(family.name);
    families.set(family.name, seen ? { ...seen, metrics: [...seen.metrics, ...family.metrics] } : family);
  }
  for (const family of typed) families.set(family.name, family);
  return families;
}
const samples = (families: Map<string, MetricFamily>, name: string) => families.get(name)?.metrics ?? [];

t.test('/metrics answers only the metrics token, as a problem otherwise', async (t) => {
  for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: METRICS_TOKEN }]) {
    const refused = await app.inject({ method: 'GET', url: '/metrics', headers, remoteAddress: from() });
    t.equal(refused.statusCode, 401);
    t.match(refused.headers['content-type'], /application\/problem\+json/);
    t.notMatch(refused.body, /tandem_/, 'no metric leaks');
  }
  const ok = await app.inject({ method: 'GET', url: '/metrics', headers: bearer, remoteAddress: from() });
  t.equal(ok.statusCode, 200);
  t.match(ok.headers['content-type'], /^text\/plain; version=0\.0\.4/);
});

t.test('without METRICS_TOKEN there is no /metrics', async (t) => {
  const other = await buildTestApp(t);
  t.equal((await other.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
});

t.test('request durations by route template and status, never by raw URL', async (t) => {
  const org = uniqueOrg('metrics');
  const headers = auth({ org });
  const remoteAddress = from();
  const created = await app.inject({ method: 'POST', url: '/v1/programmes', headers, remoteAddress, payload: { name: 'Observed' } });
  t.equal(created.statusCode, 201);
  t.equal((await app.inject({ method: 'GET', url: `/v1/programmes/${created.json().id}`, headers, remoteAddress })).statusCode, 200);
  t.equal((await app.inject({ method: 'POST', url: '/v1/programmes', headers, remoteAddress, payload: { name: '' } })).statusCode, 400);
  const families = await scrape();
  t.equal(families.get('tandem_http_request_duration_seconds')?.type, 'HISTOGRAM');
  const series = samples(families, 'tandem_http_request_duration_seconds_count');
  const count = (method: string, route: string, status: string) =>
    Number(series.find((s) => s.labels?.method === method && s.labels.route === route && s.labels.status === status)?.value ?? 0);
  t.equal(count('POST', '/v1/programmes', '201'), 1);
  t.equal(count('POST', '/v1/programmes', '400'), 1);
  t.equal(count('GET', '/v1/programmes/:id', '200'), 1, 'the template, not the id');
  t.notOk(series.some((s) => s.labels?.route?.includes(created.json().id)), 'no id in any label');
});

t.test('GraphQL operations by name and type', async (t) => {
  const headers = auth({ org: uniqueOrg('metrics-gql') });
  for (const query of ['query Dashboard { viewer { org } }', 'query Dashboard { viewer { org } }', '{ viewer { org } }']) {
    const response = await app.inject({ method: 'POST', url: '/graphql', headers, remoteAddress: from(), payload: { query } });
    t.equal(response.statusCode, 200, response.body);
  }
  const operations = samples(await scrape(), 'tandem_graphql_operations_total');
  const value = (operation: string) => Number(operations.find((s) => s.labels?.operation === operation && s.labels.type === 'query')?.value ?? 0);
  t.equal(value('Dashboard'), 2);
  t.equal(value('anonymous'), 1);
});

t.test('rate-limit refusals are counted, and /metrics itself is never limited', async (t) => {
  const remoteAddress = from();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url: '/v1/programmes', headers: auth({ org: uniqueOrg('limited') }), remoteAddress })).statusCode);
  t.same(statuses, [200, 200, 200, 429, 429]);
  const scraper = from();
  for (let i = 0; i < 6; i++) t.equal((await app.inject({ method: 'GET', url: '/metrics', headers: bearer, remoteAddress: scraper })).statusCode, 200);
  const refused = samples(await scrape(), 'tandem_rate_limited_total');
  t.equal(Number(refused.find((s) => s.labels?.route === '/v1/programmes')?.value), 2);
});

t.test('outbox lag and the webhook queue by endpoint', async (t) => {
  const org = uniqueOrg('metrics-outbox');
  const headers = auth({ org });
  const remoteAddress = from();
  const endpoint = await app.inject({ method: 'POST', url: '/v1/webhook-endpoints', headers, remoteAddress, payload: { url: 'http://127.0.0.1:9/hook' } });
  t.equal(endpoint.statusCode, 201, endpoint.body);
  const sent = await app.inject({ method: 'POST', url: `/v1/webhook-endpoints/${endpoint.json().id}/test`, headers, remoteAddress });
  t.equal(sent.statusCode, 202, sent.body);
  // No dispatcher runs in this app: the event waits. An hour later it is an hour behind.
  offset = 3_600_000;
  const families = await scrape();
  offset = 0;
  const lag = Number(samples(families, 'tandem_outbox_lag_seconds')[0]?.value);
  t.ok(lag >= 3_500 && lag < 7_200, `the oldest undelivered event is about an hour old (${lag} s)`);
  t.ok(families.has('tandem_webhook_deliveries'), 'the queue gauge is exported');
  t.ok(families.has('tandem_webhook_oldest_pending_seconds'));
});

t.test('scheduler lag: the age of the oldest job due and not yet run', async (t) => {
  t.equal(Number(samples(await scrape(), 'tandem_scheduler_lag_seconds')[0]?.value), 0, 'nothing due: no lag');
  const org = uniqueOrg('metrics-jobs');
  // No scheduler runs in this app: a job due an hour ago waits.
  await database.rows(sql`insert into scheduled_jobs (org_id, kind, key, subject_id, run_at)
    values (${org}, 'quiet_check', ${`metrics-lag:${org}`}, gen_random_uuid(), ${new Date(Date.now() - 3_600_000).toISOString()}::timestamptz)`);
  t.teardown(() => database.rows(sql`update scheduled_jobs set status = 'done', done_at = now() where org_id = ${org}`));
  const lag = Number(samples(await scrape(), 'tandem_scheduler_lag_seconds')[0]?.value);
  t.ok(lag >= 3_500 && lag < 7_200, `the scheduler is about an hour behind (${lag} s)`);
});

t.test('database pool gauges where the driver has a pool', async (t) => {
  const families = await scrape();
  if (database.kind !== 'postgres') {
    t.notOk(families.has('tandem_db_pool_in_use'), 'PGlite has one connection and no pool');
    return;
  }
  t.equal(Number(samples(families, 'tandem_db_pool_max')[0]?.value), 20);
  const inUse = Number(samples(families, 'tandem_db_pool_in_use')[0]?.value);
  t.ok(inUse >= 0 && inUse <= 20, 'in use within the pool');
  t.equal(Number(samples(families, 'tandem_db_pool_waiting')[0]?.value), 0, 'nothing waits at rest');
});

t.test('a use case retried after a serialization failure is counted by name', async (t) => {
  const heard: string[] = [];
  let failures = 2;
  const result = await runUseCase(
    async () => {
      if (failures-- > 0) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      return 'done';
    },
    'openRelationship',
    { retried: (name) => heard.push(name) },
  );
  t.equal(result, 'done');
  t.same(heard, ['openRelationship', 'openRelationship']);
});
