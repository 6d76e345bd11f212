import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { Worker } from 'node:worker_threads';
import WebSocket from 'ws';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, personInput } from '../helpers/fixtures.ts';
import { scimToken } from '../scim/scim-client.ts';

// Issue 36: no input may stall the process. Each worst case goes over a real socket while /health
// is asked again and again; the case must be refused or bounded, and /health's slowest answer
// meanwhile stays under a generous ceiling. The figures are printed for the lead to quote.
const HEALTH_CEILING_MS = 500;

const { app, auth, config, database } = await buildTestApp(t);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const base = `http://127.0.0.1:${port}`;

// The poller lives in a worker thread: its timers and its client run on their own event loop, so
// a blocked server loop shows as a slow /health answer, never as a poll that was not sent.
const poller = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  let latencies = null;
  let inflight = Promise.resolve();
  parentPort.on('message', async (command) => {
    if (command === 'start') latencies = [];
    else {
      // A poll still waiting when the case ends is the one that matters most: it is counted.
      await inflight;
      parentPort.postMessage(latencies);
      latencies = null;
    }
  });
  (async () => {
    for (;;) {
      if (latencies) {
        const into = latencies;
        const started = performance.now();
        inflight = fetch(workerData.url).then((answer) => answer.arrayBuffer()).catch(() => {}).then(() => { into.push(performance.now() - started); });
        await inflight;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  `,
  { eval: true, workerData: { url: `${base}/health` } },
);
poller.unref();
t.teardown(() => poller.terminate());

/** Runs `work` while /health is polled; answers what work answered and /health's slowest and median time. */
async function whilePolled<T>(work: () => Promise<T>): Promise<{ value: T; slowestMs: number; medianMs: number; polls: number }> {
  poller.postMessage('start');
  // Let the poller start before the worst case is sent.
  await new Promise((resolve) => setTimeout(resolve, 30));
  const value = await work();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const stopped = new Promise<number[]>((resolve) => poller.once('message', resolve));
  poller.postMessage('stop');
  const sorted = [...(await stopped)].sort((a, b) => a - b);
  return { value, slowestMs: sorted.at(-1) ?? 0, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, polls: sorted.length };
}

async function request(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const answer = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': headers['content-type'] ?? 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await answer.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: answer.status, body: json };
}

/**
 * Sends the worst case while /health is polled, and asserts /health's slowest answer stays under
 * the ceiling. The machine is shared: a case over the ceiling is sent again, up to three times, and
 * the best attempt counts. Work that holds the loop does so every time; a neighbour's burst does not.
 * Every attempt's figures are printed.
 */
async function timedCase<T>(t: Test, name: string, work: (attempt: number) => Promise<T>): Promise<T> {
  let best: { value: T; slowestMs: number } | null = null;
  for (let attempt = 1; attempt <= 3 && (!best || best.slowestMs >= HEALTH_CEILING_MS); attempt++) {
    const started = performance.now();
    const measured = await whilePolled(() => work(attempt));
    const workMs = performance.now() - started;
    t.comment(`${name}${attempt > 1 ? ` (attempt ${attempt})` : ''}: answered in ${workMs.toFixed(0)} ms; /health slowest ${measured.slowestMs.toFixed(1)} ms, median ${measured.medianMs.toFixed(1)} ms over ${measured.polls} polls`);
    if (!best || measured.slowestMs < best.slowestMs) best = measured;
  }
  t.ok(best!.slowestMs < HEALTH_CEILING_MS, `/health stayed under ${HEALTH_CEILING_MS} ms (${best!.slowestMs.toFixed(0)} ms)`);
  return best!.value;
}

const org = uniqueOrg('expensive');
const admin = auth({ org });
const api = client(app, admin);
const programme = await api.must('POST', '/v1/programmes', { name: 'Expensive inputs' });
const mentor = await api.must('POST', '/v1/people', personInput());
const mentee = await api.must('POST', '/v1/people', personInput());
const relationship = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
const url = `/v1/relationships/${relationship.id}`;

// Each route answers once before anything is measured: a route's first answer compiles its
// serializers, which is not what this test is about.
await api.call('PUT', `${url}/agreement`, { ...agreementInput(), rhythm: { rrule: 'FREQ=HOURLY', timeZone: 'UTC', startsAt: '2026-12-01T10:00' } });
await api.call('GET', `${url}/rhythm`);
await api.call('POST', '/v1/people/batch', { people: [] });
await app.inject({ method: 'POST', url: '/graphql', headers: admin, payload: { query: '{ viewer { sub } }' } });
await app.inject({ method: 'GET', url: '/scim/v2/Users?filter=userName%20pr', headers: { authorization: `Bearer ${scimToken(config, { org, scope: 'scim' })}` } });

const list = (n: number) => Array.from({ length: n }, (_, i) => i).join(',');
const startsAt = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16);
const rhythm = { timeZone: 'UTC', startsAt, minutes: 30 };

t.test('idle: /health on its own', async (t) => {
  await timedCase(t, 'idle', () => new Promise((resolve) => setTimeout(resolve, 300)));
});

t.test('meeting rhythms: every minute, every second, never: 400 naming the field', async (t) => {
  const rules: [string, string, RegExp][] = [
    ['every minute of the day (the issue: 2.8–3.8 s of blocked loop)', `FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(60)}`, /BYHOUR takes one value/],
    ['every second of the day (the issue: 174.6 s)', `FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(60)};BYSECOND=${list(60)}`, /BYHOUR takes one value/],
    ['a daily rule that never happens (30 February: 12 s before)', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', /no session/],
    ['COUNT over the bound', 'FREQ=DAILY;COUNT=100000', /COUNT is 1 to 1000/],
  ];
  for (const [name, rrule, message] of rules) {
    const answer = await timedCase(t, `PUT agreement, ${name}`, () => request('PUT', `${url}/agreement`, admin, { ...agreementInput(), rhythm: { ...rhythm, rrule } }));
    t.equal(answer.status, 400, name);
    t.equal(answer.body.errors?.[0]?.path, 'body.rhythm.rrule');
    t.match(answer.body.errors?.[0]?.message, message);
  }
  t.equal((await api.must('GET', url)).agreement, null, 'nothing was agreed');
});

t.test('rules stored before the bounds: GET …/rhythm answers, bounded', async (t) => {
  const stored = async (rrule: string) => {
    const agreement = { ...agreementInput(), rhythm: { ...rhythm, rrule } };
    await database.rows(sql`update relationships set agreement = ${JSON.stringify(agreement)}::jsonb where id = ${relationship.id}`);
  };
  await stored(`FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(60)}`);
  const minutes = await timedCase(t, 'GET rhythm, stored every-minute rule', () => request('GET', `${url}/rhythm`, admin));
  t.equal(minutes.status, 200);
  t.equal(minutes.body.upcoming.length, 5, 'the next five minutes, not nothing');
  await stored(`FREQ=DAILY;BYHOUR=${list(24)};BYMINUTE=${list(60)};BYSECOND=${list(60)}`);
  const seconds = await timedCase(t, 'GET rhythm, stored every-second rule', () => request('GET', `${url}/rhythm`, admin));
  t.equal(seconds.status, 200, 'answered');
  t.same(seconds.body.upcoming, [], 'a rule of more than 1,440 times a day is not expanded');
  await database.rows(sql`update relationships set agreement = null where id = ${relationship.id}`);
});

t.test('SCIM filters: over the length, the terms or the depth: 400 invalidFilter', async (t) => {
  const scim = { authorization: `Bearer ${scimToken(config, { org, scope: 'scim' })}` };
  const filters: [string, string, number][] = [
    ['3,000-character filter', `userName eq "${'x'.repeat(3000)}"`, 400],
    ['100 KB filter (over Node’s header limit)', `userName eq "${'x'.repeat(100_000)}"`, 431],
    ['1,990 characters of parentheses (one term)', `${'('.repeat(990)}userName pr${')'.repeat(990)}`, 200],
    ['330 nested nots', `${'not ('.repeat(330)}userName pr${')'.repeat(330)}`, 400],
    ['90 comparisons', Array.from({ length: 90 }, (_, i) => `userName eq "u${i}"`).join(' or '), 400],
    ['20 comparisons (the most allowed)', Array.from({ length: 20 }, (_, i) => `userName eq "u${i}"`).join(' or '), 200],
  ];
  for (const [name, filter, status] of filters) {
    const answer = await timedCase(t, `SCIM ${name}`, () => request('GET', `/scim/v2/Users?filter=${encodeURIComponent(filter)}`, scim));
    t.equal(answer.status, status, name);
    if (status === 400) t.equal(answer.body.scimType, 'invalidFilter', name);
  }
});

t.test('GraphQL documents: too many tokens, too deep, too many aliases: 400 before they run', async (t) => {
  const post = (query: string) => request('POST', '/graphql', admin, { query });
  const documents: [string, string, string][] = [
    ['900 KB of tokens', `{ ${'viewer { sub } '.repeat(60_000)}}`, 'GRAPHQL_PARSE_FAILED'],
    ['nested 40 deep', `{ ${'relationships { edges { node { '.repeat(10)}id${' } } }'.repeat(10)} }`, 'QUERY_TOO_DEEP'],
    ['100 aliases', `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: viewer { sub }`).join(' ')} }`, 'QUERY_TOO_COSTLY'],
  ];
  for (const [name, query, code] of documents) {
    const answer = await timedCase(t, `GraphQL ${name}`, () => post(query));
    t.equal(answer.status, 400, name);
    t.equal(answer.body.errors?.[0]?.extensions?.code, code, name);
  }
});

t.test('GraphQL over WebSocket: a 900 KB subscription document is refused with an error message', async (t) => {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
  const inbox: { type: string; id?: string; payload?: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const arrived = (type: string) =>
    new Promise<(typeof inbox)[number]>((resolve) => {
      const look = () => {
        const found = inbox.find((m) => m.type === type);
        if (found) resolve(found);
        else setTimeout(look, 5);
      };
      look();
    });
  socket.on('message', (raw) => inbox.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: admin.authorization } }));
  await arrived('connection_ack');
  const query = `subscription { relationshipStageChanged(programmeId: "${programme.id}") { ${'stage '.repeat(150_000)}} }`;
  const refused = await timedCase(t, 'WebSocket subscribe, 900 KB document', async (attempt) => {
    inbox.length = 0;
    socket.send(JSON.stringify({ id: String(attempt), type: 'subscribe', payload: { query } }));
    return arrived('error');
  });
  t.equal(refused.payload?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
  socket.close(1000);
});

t.test('a people batch of the most allowed (1,000): answered, the loop kept free', async (t) => {
  const people = Array.from({ length: 1000 }, (_, i) => ({ ...personInput(), externalId: `hr-${i}` }));
  const answer = await timedCase(t, 'POST /v1/people/batch, 1,000 people', () => request('POST', '/v1/people/batch', admin, { people }));
  t.equal(answer.status, 200);
  t.equal(answer.body.created + answer.body.updated, 1000, 'all of them (created, or updated when sent again)');
  const over = await timedCase(t, 'POST /v1/people/batch, 1,001 people', () => request('POST', '/v1/people/batch', admin, { people: [...people, { ...personInput(), externalId: 'hr-x' }] }));
  t.equal(over.status, 400, 'over the bound');
});
