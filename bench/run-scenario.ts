import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import type postgres from 'postgres';
import { CeilingDb } from './ceilings/ceiling-db.ts';
import type { Child } from './child-process.ts';
import { dbLoad } from './measure/db-load.ts';
import { httpLoad } from './measure/http-load.ts';
import type { Measurement } from './measure/result.ts';
import { compareStatements, type StatementCheck } from './measure/statement-check.ts';
import { sampleWaits, type WaitProfile } from './measure/wait-sampler.ts';
import { summariseCpuProfile, type CpuSummary } from './report/cpu-summary.ts';
import type { BenchContext, Scenario } from './scenarios/types.ts';

/** A measured HTTP run with the serving process's CPU time (user + system) per successful answer, ms. */
export type CpuMeasurement = Measurement & { cpuPerRequest: number };

/** One interleaved round of issue 18: the framework ceiling, the database ceiling and the app, one after another. */
export interface Round {
  framework: CpuMeasurement;
  db: Measurement;
  app: CpuMeasurement;
  /** 1 / (1/framework + 1/database): a do-nothing server that only runs the endpoint's statements, sharing the cores. */
  combined: number;
}

export const ROUNDS = 3;

export interface ScenarioResult {
  name: string;
  title: string;
  group: Scenario['group'];
  target?: number;
  combinedTarget?: number;
  /** The interleaved rounds; framework, dbPrepared and app below are those of the median round (by app / combined). */
  rounds?: Round[];
  size: number;
  skipped?: string;
  error?: string;
  framework?: Measurement;
  dbPrepared?: Measurement;
  dbUnprepared?: Measurement;
  app?: Measurement;
  /** The app at the scenario's fixed latencyRate: latency without queueing. */
  appAtRate?: Measurement & { rate: number };
  statements?: StatementCheck;
  /** Statements of each sample request (a transition with guards sends more than one without). */
  statementCounts?: number[];
  profile?: string;
  cpu?: CpuSummary;
  /** What the app's database connections waited on during the app run. */
  waits?: WaitProfile;
  /** The machine's 1-minute load average before and after the scenario: how busy the shared machine was. */
  load?: [number, number];
}

export interface ScenarioRunOptions {
  seconds: number;
  unprepared: boolean;
  profileDir: string | null;
  log: (line: string) => void;
}

/** Waits until none of the app's database connections is busy: the last run's requests have all finished. */
async function quiet(ctx: BenchContext): Promise<void> {
  const deadline = Date.now() + 15_000;
  let calm = 0;
  while (Date.now() < deadline && calm < 3) {
    const [row] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity where application_name = 'tandem' and datname = current_database() and state <> 'idle'`;
    calm = row?.n === 0 ? calm + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One request through the app with the statement capture on: its status, its body, and the SQL it sent. */
async function captureOne(ctx: BenchContext, app: Child, request: { method: string; path: string; body?: string }) {
  await app.call({ type: 'capture-start' }, 'done');
  const response = await fetch(`${ctx.appUrl}${request.path}`, { method: request.method, headers: ctx.headers, ...(request.body ? { body: request.body } : {}) });
  const text = await response.text();
  const { statements } = await app.call({ type: 'capture-stop' }, 'captured');
  return { status: response.status, text, statements };
}

/**
 * One scenario at one size: capture the app's SQL for one request and check the ceiling sends the
 * same; then, one after another, the framework ceiling, the database ceiling (prepared, then as
 * drizzle sends it) and the app, each at the same concurrency for the same time.
 */
export async function runScenario(
  scenario: Scenario,
  ctx: BenchContext,
  children: { app: Child; framework: Child },
  pool: postgres.Sql,
  options: ScenarioRunOptions,
): Promise<ScenarioResult> {
  const result: ScenarioResult = {
    name: scenario.name,
    title: scenario.title,
    group: scenario.group,
    size: ctx.size,
    ...(scenario.target ? { target: scenario.target } : {}),
    ...(scenario.combinedTarget ? { combinedTarget: scenario.combinedTarget } : {}),
  };
  const skipped = await scenario.skipReason?.(ctx);
  if (skipped) {
    options.log(`  ${scenario.name}: skipped (${skipped})`);
    return { ...result, skipped };
  }
  const loadBefore = os.loadavg()[0]!;
  try {
    const prepared = await scenario.prepare(ctx);
    await quiet(ctx);
    // The rate limits' leases (src/db/rate-limit-store.ts) are taken on a first request; the
    // capture is of a request in the steady state, where a lease is one upsert per 1,000 requests.
    await fetch(`${ctx.appUrl}/v1/me`, { headers: ctx.headers }).then((response) => response.arrayBuffer());
    const captured: Awaited<ReturnType<typeof captureOne>>['statements'] = [];
    const counts: number[] = [];
    for (let n = 0; n < (scenario.samples ?? 1); n++) {
      const sample = await captureOne(ctx, children.app, (await prepared.requests())());
      if (sample.status >= 300 || /"errors"\s*:/.test(sample.text)) throw new Error(`a sample request answered ${sample.status}: ${sample.text.slice(0, 300)}`);
      captured.push(...sample.statements);
      counts.push(sample.statements.length);
      if (n === 0) await children.framework.call({ type: 'answer-with', status: sample.status, body: sample.text }, 'done');
    }
    const tracer = new CeilingDb(pool, true);
    const ceilingTexts: string[] = [];
    for (let n = 0; n < (scenario.samples ?? 1); n++) ceilingTexts.push(...(await tracer.traced(prepared.ceiling(tracer))));
    result.statements = compareStatements(captured, ceilingTexts);
    result.statementCounts = counts;
    options.log(`  ${scenario.name}: ${[...new Set(counts)].join(' or ')} statements per request; ceiling SQL ${result.statements.identical ? 'identical' : 'DIFFERS'}`);

    const seconds = Math.max(options.seconds, scenario.minSeconds ?? 0);
    const load = { connections: ctx.connections, seconds, headers: ctx.headers };
    // Issue 18: the framework ceiling, the database ceiling and the app, ROUNDS times interleaved,
    // so the shared machine's load falls on each pair alike; the report gives the median and spread.
    const rounds: Round[] = [];
    await children.app.call({ type: 'reset-peak' }, 'reset-peak');
    for (let round = 1; round <= ROUNDS; round++) {
      const framework = await withCpu(children.framework, async (onMeasureStart) => httpLoad({ ...load, url: children.framework.url, next: await prepared.requests(), onMeasureStart }));
      options.log(`    ${round}/${ROUNDS} framework ceiling ${line(framework)}  CPU ${framework.cpuPerRequest.toFixed(3)} ms/req`);
      const db = await dbLoad(prepared.ceiling(new CeilingDb(pool, true)), { concurrency: ctx.connections, seconds });
      options.log(`    ${round}/${ROUNDS} database ceiling  ${line(db)}`);
      if (round === 1 && options.unprepared) {
        result.dbUnprepared = await dbLoad(prepared.ceiling(new CeilingDb(pool, false)), { concurrency: ctx.connections, seconds });
        options.log(`        db, unprepared    ${line(result.dbUnprepared)}`);
      }
      // The profile and the wait samples cover the first app run only: the profiler slows the app.
      const first = round === 1;
      if (first && options.profileDir) await children.app.call({ type: 'profile-start' }, 'done');
      const waits = first ? sampleWaits(ctx.sql) : null;
      // The app's first run of a scenario warms up as long as it is measured: on a slow machine a
      // route's code paths were still being compiled after the usual 2 s (round 1's CPU per request
      // was 1.5–1.9× rounds 2 and 3's), and a server in service runs warm.
      const warmupSeconds = first ? seconds : undefined;
      const app = await withCpu(children.app, async (onMeasureStart) => httpLoad({ ...load, url: ctx.appUrl, next: await prepared.requests(), onMeasureStart, ...(warmupSeconds ? { warmupSeconds } : {}) }));
      if (waits) result.waits = await waits.stop();
      if (first && options.profileDir) {
        await mkdir(options.profileDir, { recursive: true });
        result.profile = `${options.profileDir}/${ctx.size}-${scenario.name}.cpuprofile`;
        await children.app.call({ type: 'profile-stop', path: result.profile }, 'done');
        result.cpu = await summariseCpuProfile(result.profile);
      }
      const combined = 1 / (1 / framework.rps + 1 / db.rps);
      rounds.push({ framework, db, app, combined });
      options.log(`    ${round}/${ROUNDS} app               ${line(app)}  CPU ${app.cpuPerRequest.toFixed(3)} ms/req  ${(app.rps / combined).toFixed(2)} of combined ${combined.toFixed(0)}`);
    }
    const { peakRss } = await children.app.call({ type: 'memory' }, 'memory');
    const median = [...rounds].sort((a, b) => a.app.rps / a.combined - b.app.rps / b.combined)[Math.floor(rounds.length / 2)]!;
    result.rounds = rounds;
    result.framework = median.framework;
    result.dbPrepared = median.db;
    result.app = { ...median.app, peakRss };
    options.log(`    peak RSS ${(peakRss / 1048576).toFixed(0)} MB over the app runs`);
    if (scenario.latencyRate) {
      const rate = scenario.latencyRate;
      result.appAtRate = { ...(await httpLoad({ ...load, url: ctx.appUrl, next: await prepared.requests(), overallRate: rate })), rate };
      options.log(`    app at ${rate} req/s ${line(result.appAtRate)}`);
    }
    result.load = [loadBefore, os.loadavg()[0]!];
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
    options.log(`  ${scenario.name}: FAILED ${result.error}`);
  }
  return result;
}

/** A run with the serving child's CPU time from the end of the warm-up to the end of the measured run, per successful answer. */
async function withCpu(child: Child, run: (onMeasureStart: () => Promise<void>) => Promise<Measurement>): Promise<CpuMeasurement> {
  const cpu = async () => {
    const { user, system } = await child.call({ type: 'cpu' }, 'cpu');
    return user + system;
  };
  let start = 0;
  const measured = await run(async () => {
    start = await cpu();
  });
  const used = (await cpu()) - start;
  const answers = measured.rps * measured.seconds;
  return { ...measured, cpuPerRequest: answers > 0 ? used / 1000 / answers : NaN };
}

const line = (m: Measurement) =>
  `${m.rps.toFixed(m.rps < 10 ? 1 : 0).padStart(7)} req/s  p50 ${m.p50.toFixed(2).padStart(7)} ms  p99 ${m.p99.toFixed(2).padStart(7)} ms${m.errors ? `  errors ${m.errors}` : ''}${m.note ? ` (${m.note})` : ''}`;
