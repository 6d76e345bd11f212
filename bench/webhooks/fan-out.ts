import { existsSync } from 'node:fs';
import type { Child } from '../child-process.ts';
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
export async function measureFanOut(ctx: BenchContext, app: Child, receiver: Receiver, options: { endpoints: number; seconds: number; profilePath: string | null }): Promise<FanOutResult> {
  const endpointIds = await createEndpoints(ctx, receiver, options.endpoints);
  const notes: string[] = [];
  if (!(await waitFor(() => caughtUp(ctx), 120_000))) notes.push('the fan-out cursor had not caught up with older events after 120 s');
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

  // Burst: events committed in one statement, as a bulk import would leave them; the clock runs from the commit.
  const org = ctx.org;
  if (options.profilePath) await app.call({ type: 'profile-start' }, 'done');
  const committed = Date.now() - 5; // created_at is the server's now(), on the same clock
  await commitEvents(ctx.sql, org, pool, BURST_EVENTS);
  const expectedBurst = BURST_EVENTS * options.endpoints;
  const burstWaits = sampleWaits(ctx.sql);
  const drained = await waitFor(() => receiver.receipts().filter((r) => r.at - r.latency >= committed).length >= expectedBurst, 180_000);
  waits.burst = await burstWaits.stop();
  const cpu = options.profilePath ? await app.call({ type: 'profile-stop', path: options.profilePath }, 'done').then(() => summariseCpuProfile(options.profilePath!)) : undefined;
  if (!drained) notes.push(`the burst was not drained within 180 s (${receiver.count()} of ${expectedBurst})`);
  const burstReceipts = unique(receiver.take().filter((r) => r.at - r.latency >= committed));
  const last = Math.max(...burstReceipts.map((r) => r.at), committed + 1);
  const burstSeconds = (last - committed) / 1000;
  const burst = { ...summarise(burstReceipts, BURST_EVENTS, expectedBurst, burstSeconds), deliveriesPerSecond: burstReceipts.length / burstSeconds };
  const { peakRss } = await app.call({ type: 'memory' }, 'memory');

  const receiverCeiling = await httpLoad({
    url: receiver.url,
    connections: ctx.connections,
    seconds: Math.min(5, options.seconds),
    headers: { 'content-type': 'application/json' },
    next: () => ({ method: 'POST', path: '/hook/ceiling', body: '{"type":"ceiling"}' }),
  });
  for (const id of endpointIds) await fetch(`${ctx.appUrl}/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: { authorization: ctx.headers.authorization! } });
  return { endpoints: options.endpoints, steady: { ...steady, peakRss }, burst, receiverCeiling, peakRss, waits, ...(cpu ? { cpu, profile: options.profilePath! } : {}), ...(notes.length ? { note: notes.join('; ') } : {}) };
}
