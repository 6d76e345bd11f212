// The webhook dispatcher and the scheduler, alone: configuration and database, no HTTP. Run it
// beside API instances started with WEBHOOKS_DISPATCH=off and JOBS_RUN=off; any number of workers
// can share one PostgreSQL (both claim FOR UPDATE SKIP LOCKED).
//   DATABASE_URL=postgres://… npm run worker
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { startEventFeed } from '../src/db/event-feed.ts';
import { createScheduler } from '../src/jobs/scheduler.ts';
import { startWebhookDispatcher } from '../src/webhooks/start-dispatcher.ts';

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

const database = await openDatabase({ kind: 'postgres', url: config.database.url });
await database.migrate();
const eventFeed = await startEventFeed(database);
const quiet = config.logLevel === 'silent';
const dispatcher = await startWebhookDispatcher({
  database,
  config,
  eventFeed,
  logger: { error: (object, message) => quiet || log('error', message, { err: String((object as { err?: unknown }).err) }) },
});
const scheduler = createScheduler({
  database,
  logger: { error: (object, message) => quiet || log('error', message, { err: String((object as { err?: unknown }).err) }) },
});
scheduler.start();
if (!quiet) log('info', 'webhook dispatcher and scheduler running', { allowPrivateUrls: config.webhooks.allowPrivateUrls });

closeWithGrace({ delay: 20_000 }, async ({ signal, err }) => {
  if (err) log('error', 'stopping after an error', { err: String(err) });
  else if (!quiet) log('info', 'stopping: finishing the deliveries in flight', { signal });
  await Promise.all([dispatcher.stop(), scheduler.stop()]);
  await eventFeed.close();
  await database.close();
});
