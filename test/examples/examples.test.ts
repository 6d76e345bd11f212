import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import t from 'tap';
import { createTandemClient, unwrap } from '@tandem/client';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { fillDemo } from '../../scripts/demo/fill-demo.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { CHILD_READY_DEADLINE_MS, RUN_TYPESCRIPT } from '../helpers/typescript-child.ts';

// Every program in examples/ runs as a user would run it (a child process with tsx) against a
// started server, on whichever database the suite runs on. The server dispatches webhooks and
// may send them to 127.0.0.1, where the receiver example listens.
const root = new URL('../..', import.meta.url).pathname;
const { app, config, database } = await buildTestApp(t, { config: { webhooks: { dispatch: true, allowPrivateUrls: true } } });
const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
const tokenFor = (org: string) => signDevelopmentToken(config, { org, roles: ['admin'], sub: 'examples-admin' }, 600);

interface Running {
  output: () => string;
  /** Resolves with the output once `pattern` appears; rejects if the program exits first or `ms` pass. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  exited: Promise<number | null>;
  stop(): void;
}

function run(file: string, args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, `examples/${file}`, ...args], {
    cwd: root,
    env: { ...process.env, TANDEM_URL: baseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });
  return {
    output: () => output,
    exited,
    stop: () => child.kill('SIGTERM'),
    waitFor: (pattern, ms = CHILD_READY_DEADLINE_MS) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} within ${ms} ms:\n${output}`)), ms);
        const check = () => {
          const match = pattern.exec(output);
          if (match) finish(null, match);
          else if (done) finish(new Error(`examples/${file} exited before ${pattern}:\n${output}`));
        };
        const finish = (error: Error | null, match?: RegExpExecArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        listeners.add(check);
        check();
      }),
  };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An organisation with a programme and a relationship, made through the typed client. */
async function pairIn(org: string) {
  const tandem = createTandemClient({ baseUrl, auth: { token: tokenFor(org) } });
  const programme = await unwrap(tandem.POST('/v1/programmes', { body: { name: 'Examples programme' } }));
  const { people } = await unwrap(
    tandem.POST('/v1/people/batch', { body: { people: [{ externalId: 'MENTOR', name: 'Mina Mentor', capacity: 2 }, { externalId: 'MENTEE', name: 'Ezra Mentee' }] } }),
  );
  const relationship = await unwrap(tandem.POST('/v1/relationships', { body: { programmeId: programme.id, mentorId: people[0]!.id, menteeId: people[1]!.id, aspiration: 'I want a promotion' } }));
  return { tandem, programme, relationship };
}

t.test('hr-sync.ts: a CSV export, then a CSV of changes, through client credentials', async (t) => {
  const org = uniqueOrg('hr');
  const admin = createTandemClient({ baseUrl, auth: { token: tokenFor(org) } });
  const client = await unwrap(admin.POST('/v1/clients', { body: { name: 'HRIS', scopes: ['people:read', 'people:write'] } }));
  const env = { TANDEM_CLIENT_ID: client.id, TANDEM_CLIENT_SECRET: client.clientSecret };

  const first = run('hr-sync.ts', ['examples/data/people.csv'], env);
  t.equal(await first.exited, 0, first.output());
  t.match(first.output(), /5 created, 0 updated/);
  const changes = run('hr-sync.ts', ['examples/data/people-changes.csv'], env);
  t.equal(await changes.exited, 0, changes.output());
  t.match(changes.output(), /1 created, 2 updated/);

  const people = await unwrap(admin.GET('/v1/people', { params: { query: { limit: 100 } } }));
  t.equal(people.items.length, 6);
  const katherine = people.items.find((person) => person.externalId === 'E-102')!;
  t.equal(katherine.timezone, 'America/Chicago', 'a change in the HRIS reaches Tandem');
  t.same(katherine.skills, ['Orbital mechanics', 'Mentoring']);
  t.equal(people.items.find((person) => person.externalId === 'E-104')!.email, 'hedy@acme.example');
});

t.test('webhook-receiver.ts: verifies, handles each event once, refuses forgeries', async (t) => {
  const org = uniqueOrg('hooks');
  const port = await freePort();
  const receiver = run('webhook-receiver.ts', ['--register', `http://127.0.0.1:${port}/webhooks`, '--port', String(port)], { TANDEM_TOKEN: tokenFor(org) });
  t.teardown(() => receiver.stop());
  await receiver.waitFor(/listening on/);

  const { tandem, relationship } = await pairIn(org);
  const [, eventId] = await receiver.waitFor(new RegExp(`received relationship\\.opened (\\S+) relationship ${relationship.id} v1`));
  t.pass('a signed event arrived and was verified');

  await unwrap(tandem.POST('/v1/events/{id}/resend', { params: { path: { id: eventId! } }, body: {} }));
  await receiver.waitFor(new RegExp(`duplicate ${eventId} ignored`));
  t.pass('the resent event (same webhook-id) was recognised as a duplicate');

  const forged = await fetch(`http://127.0.0.1:${port}/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    body: JSON.stringify({ type: 'relationship.opened', timestamp: new Date().toISOString(), data: {} }),
  });
  t.equal(forged.status, 401);
  await receiver.waitFor(/rejected a request/);
  t.notMatch(receiver.output(), /msg_forged/, 'a forgery is never handled');
});

t.test('relationship-screen.ts: the screen in one GraphQL query, then live stage changes', async (t) => {
  const org = uniqueOrg('screen');
  const { tandem, relationship } = await pairIn(org);
  const screen = run('relationship-screen.ts', [relationship.id, '--changes', '1'], { TANDEM_TOKEN: tokenFor(org) });
  t.teardown(() => screen.stop());
  await screen.waitFor(/listening for stage changes/);
  t.match(screen.output(), /Mina Mentor mentoring Ezra Mentee — Examples programme \(classic-4\)/);
  t.match(screen.output(), /stage: initiation \(active\)/);
  t.match(screen.output(), /✗ negotiation\n\s+MENTOR_NOT_ACCEPTED/, 'what still blocks each move');

  // The subscription starts after the socket connects; move until the screen hears one.
  const moves = ['negotiation', 'growth', 'negotiation', 'growth', 'negotiation', 'growth'];
  let heard = false;
  for (const to of moves) {
    await unwrap(tandem.POST('/v1/relationships/{id}/transitions', { params: { path: { id: relationship.id } }, body: { to, override: true, reason: 'examples test' } }));
    heard = await screen.waitFor(/changed \(this relationship\): \S+ \w+ → \w+ v\d+ by examples-admin/, 3_000).then(() => true, () => false);
    if (heard) break;
  }
  t.ok(heard, 'a stage change arrived over graphql-ws');
  t.equal(await screen.exited, 0, 'and the screen stopped after the one change it was asked to wait for');
});

t.test("weekly-report.ts: a programme manager's report over the demo data", async (t) => {
  const org = uniqueOrg('report');
  const outcome = await fillDemo(database, { org });
  t.ok(outcome.filled);
  const report = run('weekly-report.ts', ['--quiet-days', '21'], { TANDEM_TOKEN: tokenFor(org) });
  t.equal(await report.exited, 0, report.output());
  const text = report.output();
  t.match(text, /## Leadership Pathway 2026 \(classic-4\)/);
  t.match(text, /## Engineering Growth Circles \(five-stage\)/);
  t.match(text, /\| growth \| 2 \| 0 \| 0 \| 1 \|/, 'relationships per stage and status');
  t.match(text, /Goals: \d+ in all, \d+ in progress, \d+ achieved, [1-9]\d* dropped/);
  t.match(text, /Progress: \d+ of \d+ goals tracked by their KPIs on track; \d+ of \d+ tasks done\./);
  t.match(text, /Sessions: \d+ held of \d+ expected by the rhythms of \d+ pairs/, 'sessions held against the agreed rhythms');
  t.match(text, /### Quiet for 21\+ days\n\n- \S+ \S+ → \S+/, 'quiet pairs by name');
  t.match(text, /### This week\n\n- \d{4}-\d\d-\d\d .+: opened → (initiation|rapport)/, 'the moves of the last seven days');
});
