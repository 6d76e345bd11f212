import { and, eq, sql } from 'drizzle-orm';
import { Worker } from 'node:worker_threads';
import t from 'tap';
import { matchingRuns, outboxEvents, people, scheduledJobs } from '../../src/db/schema.ts';
import type { Ctx } from '../../src/domain/context.ts';
import { selectParticipants } from '../../src/domain/matching/fill-matching-run.ts';
import { loadMatchingWorld } from '../../src/domain/matching/load-matching-world.ts';
import { planMatching } from '../../src/domain/matching/plan-matching.ts';
import { matchingSettings } from '../../src/domain/matching/settings.ts';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { openSolver, solveAssignment, solveAssignmentInThread, SolveTimeoutError } from '../../src/solver/solve-assignment.ts';
import { GOAL_FOCUSES } from '../../src/vocabulary.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// Issue 36: a background matching run, as the server's scheduler solves it in process, leaves the
// event loop free: every pair is scored in chunks that yield, and HiGHS solves in a worker thread.
// /health is polled over a real socket (from a thread of its own) while the run is solved; the run
// must end with the proposal solving in this thread gives, and /health's slowest answer stay short.
const HEALTH_CEILING_MS = 500;
const MENTEES = Number(process.env.MATCHING_LOOP_MENTEES ?? 2000);
const MENTORS = Number(process.env.MATCHING_LOOP_MENTORS ?? 500);

const { app, auth, database } = await buildTestApp(t);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const base = `http://127.0.0.1:${port}`;

// The poller's timers and client run on their own event loop: a blocked server loop shows as a
// slow /health answer, never as a poll that was not sent.
const poller = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  let latencies = null;
  let inflight = Promise.resolve();
  parentPort.on('message', async (command) => {
    if (command === 'start') latencies = [];
    else {
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

async function whilePolled<T>(work: () => Promise<T>) {
  poller.postMessage('start');
  await new Promise((resolve) => setTimeout(resolve, 30));
  const started = performance.now();
  const value = await work();
  const workMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 10));
  const stopped = new Promise<number[]>((resolve) => poller.once('message', resolve));
  poller.postMessage('stop');
  const sorted = [...(await stopped)].sort((a, b) => a - b);
  return { value, workMs, slowestMs: sorted.at(-1) ?? 0, medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, polls: sorted.length };
}

// A deterministic organisation (as bench/matching/run.ts builds): mentors' capacity about 1.1 places a mentee, so capacity binds.
let state = 36;
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const some = <T>(items: readonly T[], min: number, max: number) => [...new Set(Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, () => pick(items)))];
const TOPICS = ['leadership', 'negotiation', 'communication', 'strategy', 'finance', 'design', 'architecture', 'data', 'coaching', 'feedback', 'hiring', 'marketing', 'sales', 'product', 'research', 'writing', 'security', 'planning', 'cloud', 'management'];
const ZONES = ['Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney'];
const DEPARTMENTS = Array.from({ length: 12 }, (_, i) => `Department ${i}`);

const org = uniqueOrg('matching-loop');
const headers = { ...auth({ org }), 'content-type': 'application/json' };
const call = async (method: string, path: string, body?: unknown) => {
  const answer = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: answer.status, body: (await answer.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const programme = (await call('POST', '/v1/programmes', { name: 'Matching at scale' })).body;
const mentorRows = await database.db
  .insert(people)
  .values(
    Array.from({ length: MENTORS }, (_, i) => ({
      orgId: org,
      externalId: `mentor-${i}`,
      name: `Mentor ${i}`,
      timezone: pick(ZONES),
      skills: some(TOPICS, 3, 6),
      capacity: Math.max(1, Math.round(((MENTEES * 1.1) / MENTORS) * (0.5 + random()))),
      grade: 4 + Math.floor(random() * 7),
      experienceYears: 1 + Math.floor(random() * 25),
      department: pick(DEPARTMENTS),
      managerId: `boss-${Math.floor(random() * 40)}`,
      location: pick(['London', 'Berlin', 'New York', 'Singapore']),
    })),
  )
  .returning({ id: people.id });
for (let at = 0; at < MENTEES; at += 500) {
  await database.db.insert(people).values(
    Array.from({ length: Math.min(500, MENTEES - at) }, (_, i) => ({
      orgId: org,
      externalId: `mentee-${at + i}`,
      name: `Mentee ${at + i}`,
      timezone: pick(ZONES),
      capacity: 0,
      aspiration: `I want to grow in ${some(TOPICS, 2, 4).join(' and ')} to reach the next level`,
      goalFocus: pick(GOAL_FOCUSES),
      grade: 1 + Math.floor(random() * 6),
      department: pick(DEPARTMENTS),
      managerId: `boss-${Math.floor(random() * 40)}`,
      location: pick(['London', 'Berlin', 'New York', 'Singapore']),
      preferredMentorIds: random() < 0.3 ? some(mentorRows, 1, 3).map((m) => m.id) : [],
    })),
  );
}
if (database.kind === 'postgres') await database.rows(sql`analyze people`);

const pairKeys = (pairs: { menteeId: string; mentorId: string }[]) => pairs.map((p) => `${p.menteeId}>${p.mentorId}`).sort();

t.test('a background matching run leaves /health answering, and proposes what solving in this thread proposes', async (t) => {
  // The scheduler's first round warms the embedded database's catalog for its sweeps (app.ts starts
  // it a second after the server for that reason): a running server has long done so.
  const scheduler = createScheduler({ database });
  await scheduler.drain();
  // The machine is shared (two cores, other suites): a run over the ceiling is asked for again, up
  // to three times, and the best attempt counts. A run that holds the loop does so every time; a
  // neighbour's burst does not. Every attempt's figures are printed.
  let best: { runId: string; slowestMs: number } | undefined;
  for (let attempt = 1; attempt <= 3 && (!best || best.slowestMs >= HEALTH_CEILING_MS); attempt++) {
    const asked = await call('POST', `/v1/programmes/${programme.id}/matching-runs`, { background: true });
    t.equal(asked.status, 202, 'the run is left to the scheduler');
    const measured = await whilePolled(() => scheduler.drain());
    t.equal(measured.value.done, 1, 'the scheduler solved the run');
    t.ok(measured.polls > 3, 'and /health was asked throughout');
    t.comment(
      `run ${MENTEES} mentees × ${MENTORS} mentors (${(MENTEES * MENTORS).toLocaleString('en')} pairs) on ${database.kind}${attempt > 1 ? ` (attempt ${attempt})` : ''}: ` +
        `solved in ${measured.workMs.toFixed(0)} ms; /health slowest ${measured.slowestMs.toFixed(1)} ms, median ${measured.medianMs.toFixed(1)} ms over ${measured.polls} polls`,
    );
    if (!best || measured.slowestMs < best.slowestMs) best = { runId: asked.body.id, slowestMs: measured.slowestMs };
  }
  t.ok(best!.slowestMs < HEALTH_CEILING_MS, `/health stayed under ${HEALTH_CEILING_MS} ms while the run was solved (${best!.slowestMs.toFixed(0)} ms)`);

  const run = (await call('GET', `/v1/programmes/${programme.id}/matching-runs/${best!.runId}`)).body;
  t.equal(run.status, 'completed');
  t.equal(run.pairs.length, MENTEES, 'every mentee is proposed a mentor');

  // The same world planned and solved in this thread, as runs were solved before the worker.
  const ctx: Ctx = { db: database.db, clock: () => new Date(), actor: { sub: 'test', org, roles: ['admin'] } };
  const world = await loadMatchingWorld(ctx, programme.id);
  const { mentees, mentors } = selectParticipants(world, {});
  const inThread = await whilePolled(() => planMatching(mentees, mentors, matchingSettings(programme.matching), world.history, solveAssignmentInThread));
  t.comment(`the same run solved in this thread: ${inThread.workMs.toFixed(0)} ms, HiGHS ${inThread.value.timings.solveMs.toFixed(0)} ms; /health slowest ${inThread.slowestMs.toFixed(1)} ms`);
  t.same(pairKeys(run.pairs), pairKeys(inThread.value.pairs), 'the same pairs as solving in this thread');
  t.ok(Math.abs(run.objective - inThread.value.objective) < 1e-6, 'the same objective');
  t.ok(Math.abs(run.greedyObjective - inThread.value.greedyObjective) < 1e-6, 'the same greedy baseline');
});

t.test('a solve over MATCHING_SOLVE_TIMEOUT is abandoned: its thread is replaced, the run fails with the reason', async (t) => {
  // A problem HiGHS needs more than a millisecond for: 120 mentees, each a candidate of 40 mentors.
  const problem = {
    menteeCount: 120,
    capacities: Array.from({ length: 40 }, (_, i) => 1 + (i % 4)),
    candidates: Array.from({ length: 120 * 40 }, (_, i) => ({ mentee: Math.floor(i / 40), mentor: i % 40, score: ((i * 7919) % 1000) / 1000 })),
  };
  const expected = await solveAssignmentInThread(problem);
  const closeTight = openSolver({ timeoutMs: 1 });
  let tightOpen = true;
  t.teardown(() => (tightOpen ? closeTight() : undefined));
  await t.rejects(solveAssignment(problem), SolveTimeoutError, 'a solve over its time is abandoned');
  await t.rejects(solveAssignment(problem), { name: 'SolveTimeoutError', message: /did not solve the assignment within 0\.001 s \(MATCHING_SOLVE_TIMEOUT\)/ }, 'and so is the next, each on a fresh thread');

  // A background run whose solve times out fails at once, with the reason, and is not retried.
  const small = uniqueOrg('matching-timeout');
  const smallHeaders = { ...auth({ org: small }), 'content-type': 'application/json' };
  const ask = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${base}${path}`, { method, headers: smallHeaders, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: answer.status, body: (await answer.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const smallProgramme = (await ask('POST', '/v1/programmes', { name: 'Timed out' })).body;
  await database.db.insert(people).values([
    ...Array.from({ length: 40 }, (_, i) => ({ orgId: small, name: `Mentor ${i}`, skills: some(TOPICS, 2, 5), capacity: 3, grade: 5, timezone: pick(ZONES) })),
    ...Array.from({ length: 100 }, (_, i) => ({ orgId: small, name: `Mentee ${i}`, capacity: 0, aspiration: `I want to grow in ${some(TOPICS, 2, 3).join(' and ')}`, grade: 2, timezone: pick(ZONES) })),
  ]);
  const asked = await ask('POST', `/v1/programmes/${smallProgramme.id}/matching-runs`, { background: true });
  t.equal(asked.status, 202);
  const outcome = await createScheduler({ database }).drain();
  t.match(outcome, { done: 1, retried: 0, failed: 0 }, 'the job is done: a retry would time out again');
  const failed = (await ask('GET', `/v1/programmes/${smallProgramme.id}/matching-runs/${asked.body.id}`)).body;
  t.match(failed, { status: 'failed', pairs: [], failure: /^HiGHS did not solve the assignment within 0\.001 s \(MATCHING_SOLVE_TIMEOUT\); the solve was abandoned\. Ask for fewer/ }, 'a poller reads why');
  const events = await database.db.select().from(outboxEvents).where(and(eq(outboxEvents.orgId, small), eq(outboxEvents.type, 'matching_run.failed')));
  t.equal(events.length, 1, 'matching_run.failed is announced');
  const [job] = await database.db.select().from(scheduledJobs).where(and(eq(scheduledJobs.orgId, small), eq(scheduledJobs.kind, 'matching_run')));
  t.equal(job?.status, 'done');

  // A run solved in the request answers 503 and keeps nothing.
  const inRequest = await ask('POST', `/v1/programmes/${smallProgramme.id}/matching-runs`, {});
  t.equal(inRequest.status, 503, 'a run in the request that times out is a 503 problem');
  t.match(inRequest.body, { code: 'UNAVAILABLE', detail: /MATCHING_SOLVE_TIMEOUT.*background: true/ });
  const runs = await database.db.select({ status: matchingRuns.status }).from(matchingRuns).where(eq(matchingRuns.orgId, small));
  t.same(runs, [{ status: 'failed' }], 'only the failed background run is kept');

  // With the server's limit again, the solver answers, on a fresh thread, what this thread answers.
  tightOpen = false;
  await closeTight();
  const solvedAgain = await solveAssignment(problem);
  t.same({ ...solvedAgain, modelMs: 0, solveMs: 0 }, { ...expected, modelMs: 0, solveMs: 0 }, 'replaced, and solving what this thread solves');
  const again = await ask('POST', `/v1/programmes/${smallProgramme.id}/matching-runs`, {});
  t.equal(again.status, 201, 'and a run in the request completes');
  t.equal(again.body.status, 'completed');
});
