// The webhook dispatcher and the scheduler, alone: configuration and database, no HTTP. Run it
// beside API instances started with WEBHOOKS_DISPATCH=off and JOBS_RUN=off; any number of workers
// can share one PostgreSQL (both claim FOR UPDATE SKIP LOCKED).
//   DATABASE_URL=postgres://… npm run worker
// With METRICS_PORT (and METRICS_TOKEN), it serves the same Prometheus registry as the API at
// http://HOST:METRICS_PORT/metrics: its pool, the webhook queue and its own dispatcher rounds.
import closeWithGrace from 'close-with-grace';
import Fastify from 'fastify';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { startEventFeed } from '../src/db/event-feed.ts';
import { DatabaseUnreachableError, migrateWhenReachable } from '../src/db/migrate-when-reachable.ts';
import { createScheduler } from '../src/jobs/scheduler.ts';
import { readSchedulerLag } from '../src/jobs/scheduler-lag.ts';
import { openSolver } from '../src/solver/solve-assignment.ts';
import { serializeError } from '../src/observability/log-redaction.ts';
import { createMetrics, metricsRoute } from '../src/observability/metrics.ts';
import { readQueueStats } from '../src/webhooks/queue-stats.ts';
import { startWebhookDispatcher } from '../src/webhooks/start-dispatcher.ts';

// Errors go through the server's one redaction (observability/log-redaction.ts): no statement parameters.
const log = (level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}) =>
  (level === 'error' ? console.error : console.log)(JSON.stringify({ level, time: Date.now(), name: 'tandem-worker', msg, ...extra }));

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

const config = readConfig();
if (config.database.kind !== 'postgres') {
  // The embedded database belongs to one process: there, the server dispatches itself.
  console.error('npm run worker needs DATABASE_URL (PostgreSQL). On embedded PGlite the server runs the dispatcher itself.');
  process.exit(1);
}

const database = await openDatabase({ kind: 'postgres', url: config.database.url, timeouts: config.databaseTimeouts });
// An unreachable PostgreSQL is waited for (DATABASE_START_TIMEOUT), then one line and exit 1.
await migrateWhenReachable(database, config.database.url, config.databaseTimeouts.start, (line) => log('error', line)).catch(async (error: unknown) => {
  if (!(error instanceof DatabaseUnreachableError)) throw error;
  log('error', error.message);
  await database.close().catch(() => {});
  process.exit(1);
});
const eventFeed = await startEventFeed(database);
const quiet = config.logLevel === 'silent';
const metrics = config.metrics.port
  ? createMetrics({
      ...(database.pool ? { pool: database.pool } : {}),
      queue: () => readQueueStats(database.db, new Date()),
      schedulerLag: () => readSchedulerLag(database.db, new Date()),
    })
  : undefined;
const dispatcher = await startWebhookDispatcher({
  database,
  config,
  eventFeed,
  ...(metrics ? { onRound: metrics.dispatchRound } : {}),
  logger: { error: (object, message) => quiet || log('error', message, { err: serializeError((object as { err?: unknown }).err) }) },
});
const closeSolver = openSolver({ timeoutMs: config.matching.solveTimeout * 1000 });
const scheduler = createScheduler({
  database,
  logger: { error: (object, message) => quiet || log('error', message, { err: serializeError((object as { err?: unknown }).err) }) },
});
scheduler.start();
const metricsServer = metrics ? Fastify({ logger: false }) : undefined;
if (metrics && metricsServer) {
  await metricsServer.register(metricsRoute, {
    metrics,
    ...(config.metrics.token ? { token: config.metrics.token } : {}),
    refuse: () => Object.assign(new Error('Send the metrics token as a bearer token (METRICS_TOKEN).'), { statusCode: 401 }),
  });
  await metricsServer.listen({ host: config.host, port: config.metrics.port! });
  if (!quiet) log('info', 'metrics served', { url: `http://${config.host}:${config.metrics.port}/metrics` });
}
if (!quiet) log('info', 'webhook dispatcher and scheduler running', { allowPrivateUrls: config.webhooks.allowPrivateUrls });

closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
  if (err) log('error', 'stopping after an error', { err: serializeError(err) });
  else if (!quiet) log('info', 'stopping: finishing the deliveries in flight', { signal });
  await Promise.all([dispatcher.stop(), scheduler.stop(), metricsServer?.close()]);
  await closeSolver();
  await eventFeed.close();
  await database.close();
});
