import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The webhook queue as the delivery layer reads it (webhooks/queue-stats.ts). */
export interface QueueReading {
  outboxLagSeconds: number;
  oldestPendingSeconds: number;
  deliveries: { endpointId: string; status: string; count: number }[];
}

export interface MetricSources {
  /** The database pool, where the driver has one (PostgreSQL). */
  pool?: { max: number; busy(): number };
  /** Read at scrape time; a failure leaves the queue gauges empty for that scrape. */
  queue?: () => Promise<QueueReading>;
  /** Seconds the oldest due job has waited (jobs/scheduler-lag.ts), read at scrape time. */
  schedulerLag?: () => Promise<number>;
}

/** At most this many GraphQL operation names are labelled; later new names count as "other". */
export const OPERATION_NAMES_KEPT = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Every metric Tandem exports, in one registry per app (tests build several apps in one process).
 * Labels are bounded: routes are fastify's templates (`/v1/relationships/:id`), never raw URLs;
 * GraphQL operation names are client-chosen, so only the first OPERATION_NAMES_KEPT are kept.
 */
export function createMetrics(sources: MetricSources = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requestDuration = new Histogram({
    name: 'tandem_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: 'tandem_graphql_operations_total',
    help: 'GraphQL operations executed, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'tandem_transaction_retries_total',
    help: 'Use cases run again after a serialization failure or deadlock, by use case.',
    labelNames: ['use_case'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'tandem_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit (per address or per token), by route template.',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const dispatchRounds = new Histogram({
    name: 'tandem_webhook_dispatch_round_seconds',
    help: 'Webhook dispatcher rounds (fan out, claim, send, record) in this process.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  if (sources.pool) {
    const pool = sources.pool;
    new Gauge({ name: 'tandem_db_pool_max', help: 'Connections the pool may open.', registers: [registry], collect() { this.set(pool.max); } });
    new Gauge({
      name: 'tandem_db_pool_in_use',
      help: 'Connections held by a transaction or a statement now.',
      registers: [registry],
      collect() { this.set(Math.min(pool.busy(), pool.max)); },
    });
    new Gauge({
      name: 'tandem_db_pool_waiting',
      help: 'Transactions and statements waiting for a connection now.',
      registers: [registry],
      collect() { this.set(Math.max(0, pool.busy() - pool.max)); },
    });
  }
  if (sources.queue) {
    // Three gauges, one statement: prom-client starts every gauge's collect in the same tick of a
    // scrape, so the first starts the read and the others share it while it runs. Kept only while in
    // flight (not for a while after), so the next scrape always reads afresh.
    let reading: Promise<QueueReading | undefined> | undefined;
    const read = () => {
      reading ??= sources.queue!().catch(() => undefined).finally(() => (reading = undefined));
      return reading;
    };
    new Gauge({
      name: 'tandem_outbox_lag_seconds',
      help: 'Age of the oldest outbox event not yet fanned out into webhook deliveries.',
      registers: [registry],
      async collect() { const r = await read(); if (r) this.set(r.outboxLagSeconds); },
    });
    new Gauge({
      name: 'tandem_webhook_oldest_pending_seconds',
      help: 'Age of the event of the oldest webhook delivery still pending or being sent.',
      registers: [registry],
      async collect() { const r = await read(); if (r) this.set(r.oldestPendingSeconds); },
    });
    new Gauge({
      name: 'tandem_webhook_deliveries',
      help: 'Webhook deliveries not succeeded, by endpoint and status (pending, sending, failed).',
      labelNames: ['endpoint', 'status'] as const,
      registers: [registry],
      async collect() {
        const r = await read();
        this.reset();
        for (const row of r?.deliveries ?? []) this.set({ endpoint: row.endpointId, status: row.status }, row.count);
      },
    });
  }

  if (sources.schedulerLag) {
    const lag = sources.schedulerLag;
    new Gauge({
      name: 'tandem_scheduler_lag_seconds',
      help: 'Age of the oldest scheduled job due and not yet run (0: the scheduler keeps up).',
      registers: [registry],
      async collect() { const seconds = await lag().catch(() => undefined); if (seconds !== undefined) this.set(seconds); },
    });
  }

  const operationNames = new Set<string>();
  const operationLabel = (name: string | undefined) => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= OPERATION_NAMES_KEPT) return 'other';
    operationNames.add(name);
    return name;
  };

  return {
    registry,
    /** Use-case hooks (domain/bind-use-cases.ts): counts retries. */
    retried: (useCase: string) => retries.inc({ use_case: useCase }),
    graphqlOperation: (name: string | undefined, type: string) => graphqlOperations.inc({ operation: operationLabel(name), type }),
    dispatchRound: (seconds: number) => dispatchRounds.observe(seconds),
    /** Times every request by its route template (unmatched URLs are one label) and counts 429s. */
    observeRequests(app: FastifyInstance) {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? 'unmatched';
        requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
        if (reply.statusCode === 429) rateLimited.inc({ route });
      });
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

/**
 * GET /metrics for a bearer of the metrics token (compared in constant time); not served without
 * a token, so nothing about the instance is public by default. `refuse` makes the 401 the app's own.
 */
export async function metricsRoute(app: FastifyInstance, options: { metrics: Metrics; token?: string; refuse: () => Error }) {
  const { token } = options;
  if (!token) return;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const expected = digest(`Bearer ${token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = request.headers.authorization;
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) throw options.refuse();
    reply.type(options.metrics.registry.contentType);
    return options.metrics.registry.metrics();
  });
}
