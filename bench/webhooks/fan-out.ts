import { existsSync } from 'node:fs';
import type { Child } from '../child-process.ts';
import { DEFAULT_BATCH_SIZE } from '../../src/webhooks/dispatcher.ts';
import { messageBody } from '../../src/webhooks/message.ts';
import { ROUNDS } from '../run-scenario.ts';
import { summariseCpuProfile, type CpuSummary } from '../report/cpu-summary.ts';
import { httpLoad } from '../measure/http-load.ts';
import { commitEvents, produceEvents } from './produce-events.ts';
import { percentiles, type Measurement } from '../measure/result.ts';
import { sampleWaits, type WaitProfile } from '../measure/wait-sampler.ts';
import { movablePool } from '../scenarios/transition.ts';
import type { BenchContext } from '../scenarios/types.ts';
import type { Receipt, Receiver } from './receiver.ts';

export const FIXED_RATE = 200;
const BURST_EVENTS = 3000;

export interface FanOutResult {
  endpoints: number;
  /** Events committed at a fixed 200/s: event-to-receipt latency. */
  steady: Measurement & { events: number; delivered: number; expected: number };
  /** A backlog of events committed at once: how fast the dispatcher drains it. */
  burst: Measurement & { events: number; delivered: number; expected: number; deliveriesPerSecond: number };
  /** The receiver alone under autocannon: the most it can take. */
  receiverCeiling: Measurement;
  /**
   * Issue 18's delivery ceiling, interleaved with the burst ROUNDS times: the same bodies, signed,
   * POSTed to the same receiver from a bare loop with the dispatcher's sender and concurrency
   * (bench/child/deliver.ts). `burst` above is the median round by burst ÷ ceiling.
   */
  rounds: { burst: number; ceiling: number }[];
  peakRss: number;
  /** What the app's database connections waited on, during each phase. */
  waits: { steady: WaitProfile; burst: WaitProfile };
  /** CPU profile of the app while it drained the burst (with --profile). */
  cpu?: CpuSummary;
  profile?: string;
  note?: string;
}

export const webhooksBuilt = () => existsSync(new URL('../../src/webhooks/dispatcher.ts', import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(done: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await done()) return true;
    await sleep(100);
  }
  return false;
}

async function createEndpoints(ctx: BenchContext, receiver: Receiver, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    const response = await fetch(`${ctx.appUrl}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: ctx.headers,
      body: JSON.stringify({ url: `${receiver.url}/hook/${k}`, description: 'bench receiver', eventTypes: [] }),
    });
    if (response.status !== 201) throw new Error(`creating a webhook endpoint answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}

/** The fan-out cursor has read every event committed before the bench started, so old events do not queue ahead. */
async function caughtUp(ctx: BenchContext): Promise<boolean> {
  const [row] = await ctx.sql<{ ok: boolean }[]>`
    select coalesce((select seq from webhook_cursors where name = 'fan-out'), -1) >= coalesce((select max(seq) from outbox_events), 0) as ok`;
  return row?.ok ?? false;
}

/** The fan-out has read every event, and no delivery is waiting to be sent. */
async function settled(ctx: BenchContext): Promise<boolean> {
  const [row] = await ctx.sql<{ deliveries: number }[]>`
    select count(*)::int as deliveries from webhook_deliveries where status in ('pending', 'sending') and next_attempt_at <= now()`;
  return row?.deliveries === 0 && (await caughtUp(ctx));
}

/** Each delivery once: at least once means a delivery whose lease ran out may arrive twice. */
function unique(receipts: Receipt[]): Receipt[] {
  const seen = new Set<string>();
  return receipts.filter((r) => {
    const key = `${r.path} ${r.webhookId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function summarise(receipts: Receipt[], events: number, expected: number, seconds: number) {
  const latency = percentiles(receipts.map((r) => r.latency));
  return { rps: events / seconds, ...latency, requests: events, errors: Math.max(0, expected - receipts.length), seconds, events, delivered: receipts.length, expected };
}

/**
 * Webhook fan-out with the dispatcher running in the app child: endpoints on a local receiver,
 * then events at a fixed rate (latency), then a committed backlog (deliveries per second).
 */
export async function measureFanOut(ctx: BenchContext, app: Child, bare: Child, receiver: Receiver, options: { endpoints: number; seconds: number; profilePath: string | null; log?: (line: string) => void }): Promise<FanOutResult> {
  const log = options.log;
  const endpointIds = await createEndpoints(ctx, receiver, options.endpoints);
  const notes: string[] = [];
  if (!(await waitFor(() => caughtUp(ctx), 120_000))) notes.push('the fan-out cursor had not caught up with older events after 120 s');
  // Deliveries of earlier events (the transition scenario's) would be sent during the burst: wait until none is due.
  const settledIn = performance.now();
  if (!(await waitFor(() => settled(ctx), 300_000))) notes.push('deliveries of earlier events were still due after 300 s');
  const settling = (performance.now() - settledIn) / 1000;
  if (settling > 1) log?.(`    waited ${settling.toFixed(0)} s for deliveries of earlier events`);
  receiver.take();
  await app.call({ type: 'reset-peak' }, 'reset-peak');

  // Steady: events committed at 200/s (each with its NOTIFY, as the write path commits them), a
  // rate the fan-out must keep up with whatever the write path itself sustains on this machine.
  const pool = await movablePool(ctx);
  const steadyWaits = sampleWaits(ctx.sql);
  await produceEvents(ctx.sql, ctx.org, pool, FIXED_RATE, Math.min(2, options.seconds)); // warm-up
  await sleep(1000);
  const measuredFrom = Date.now() - 5;
  const produced = await produceEvents(ctx.sql, ctx.org, pool, FIXED_RATE, options.seconds);
  // Only events made during the measured run count (their creation time is in the body).
  const measured = (receipts: Receipt[]) => unique(receipts.filter((r) => r.at - r.latency >= measuredFrom));
  const expectedSteady = produced.events * options.endpoints;
  await waitFor(() => measured(receiver.receipts()).length >= expectedSteady, 60_000);
  const steady = summarise(measured(receiver.take()), produced.events, expectedSteady, produced.seconds);
  const waits = { steady: await steadyWaits.stop(), burst: { samples: 0, states: [] } as WaitProfile };

  // Burst: events committed in one statement, as a bulk import would leave them; the clock runs
  // from the commit. Each round: a burst, then the delivery ceiling sends the same bodies.
  const org = ctx.org;
  const urls = Array.from({ length: options.endpoints }, (_, k) => `${receiver.url}/hook/${k}`);
  const bursts: { burst: FanOutResult['burst']; ceiling: number }[] = [];
  let cpu: CpuSummary | undefined;
  const bodiesOfLatest = async () => {
    const events = await ctx.sql<{ type: string; payload: unknown; created_at: Date }[]>`
      select type, payload, created_at from outbox_events where org_id = ${org} order by seq desc limit ${BURST_EVENTS}`;
    return events.map((e) => messageBody({ type: e.type, payload: e.payload as never, createdAt: e.created_at }));
  };
  // The app's dispatcher is warm from the steady phase; the delivery ceiling's child has sent
  // nothing yet (cold, its first round ran at 0.6 of its third): one untimed pass first.
  await bare.call({ type: 'deliver', urls, bodies: await bodiesOfLatest(), concurrency: DEFAULT_BATCH_SIZE }, 'delivered');
  receiver.take();
  for (let round = 1; round <= ROUNDS; round++) {
    // The bench cluster runs with autovacuum off (as CI's does), so each round's dead delivery and
    // attempt rows would slow the next (0.34 → 0.18 → 0.13 of the ceiling in one run); production's
    // autovacuum cleans these tables, so each round starts from vacuumed ones.
    await ctx.sql.unsafe('vacuum analyze outbox_events, webhook_cursors, webhook_deliveries, webhook_attempts');
    const profiling = round === 1 && options.profilePath;
    if (profiling) await app.call({ type: 'profile-start' }, 'done');
    const committed = Date.now() - 5; // created_at is the server's now(), on the same clock
    await commitEvents(ctx.sql, org, pool, BURST_EVENTS);
    const expectedBurst = BURST_EVENTS * options.endpoints;
    const burstWaits = round === 1 ? sampleWaits(ctx.sql) : null;
    const drained = await waitFor(() => receiver.receipts().filter((r) => r.at - r.latency >= committed).length >= expectedBurst, 180_000);
    if (burstWaits) waits.burst = await burstWaits.stop();
    if (profiling) cpu = await app.call({ type: 'profile-stop', path: options.profilePath! }, 'done').then(() => summariseCpuProfile(options.profilePath!));
    if (!drained) notes.push(`round ${round}: the burst was not drained within 180 s (${receiver.count()} of ${expectedBurst})`);
    const burstReceipts = unique(receiver.take().filter((r) => r.at - r.latency >= committed));
    const last = Math.max(...burstReceipts.map((r) => r.at), committed + 1);
    const burstSeconds = (last - committed) / 1000;
    const burst = { ...summarise(burstReceipts, BURST_EVENTS, expectedBurst, burstSeconds), deliveriesPerSecond: burstReceipts.length / burstSeconds };
    const delivered = await bare.call({ type: 'deliver', urls, bodies: await bodiesOfLatest(), concurrency: DEFAULT_BATCH_SIZE }, 'delivered');
    receiver.take();
    if (delivered.failed) notes.push(`round ${round}: ${delivered.failed} of the delivery ceiling's POSTs failed`);
    const ceiling = delivered.deliveries / delivered.seconds;
    bursts.push({ burst, ceiling });
    log?.(`    ${round}/${ROUNDS} burst ${burst.deliveriesPerSecond.toFixed(0)} deliveries/s, delivery ceiling ${ceiling.toFixed(0)}/s: ${(burst.deliveriesPerSecond / ceiling).toFixed(2)} of it`);
  }
  const median = [...bursts].sort((a, b) => a.burst.deliveriesPerSecond / a.ceiling - b.burst.deliveriesPerSecond / b.ceiling)[Math.floor(bursts.length / 2)]!;
  const burst = median.burst;
  const { peakRss } = await app.call({ type: 'memory' }, 'memory');

  const receiverCeiling = await httpLoad({
    url: receiver.url,
    connections: ctx.connections,
    seconds: Math.min(5, options.seconds),
    headers: { 'content-type': 'application/json' },
    next: () => ({ method: 'POST', path: '/hook/ceiling', body: '{"type":"ceiling"}' }),
  });
  for (const id of endpointIds) await fetch(`${ctx.appUrl}/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: { authorization: ctx.headers.authorization! } });
  return { endpoints: options.endpoints, steady: { ...steady, peakRss }, burst, receiverCeiling, rounds: bursts.map((b) => ({ burst: b.burst.deliveriesPerSecond, ceiling: b.ceiling })), peakRss, waits, ...(cpu ? { cpu, profile: options.profilePath! } : {}), ...(notes.length ? { note: notes.join('; ') } : {}) };
}
