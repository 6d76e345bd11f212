import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { startBanner } from './start-banner.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseHandle } from './db/client.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { isConnectionFailure } from './db/errors.ts';
import { startTracing } from './observability/tracing.ts';
import { faultsFromEnvironment } from './rest/faults.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

// performance.now() counts from the process's start, so the first mark is Node plus loading the bundle and its packages.
const phases: Record<string, number> = {};
let phaseStart = 0;
const phase = (name: string) => {
  const now = performance.now();
  phases[name] = Math.round(now - phaseStart);
  phaseStart = now;
};
phase('modules');
const config = readConfig();
// Test-only crash points (test/faults/): never in production.
const fault = process.env.TANDEM_FAULT;
if (fault && config.env === 'production') {
  console.error('TANDEM_FAULT is a test-only fault hook and is refused with NODE_ENV=production.');
  process.exit(1);
}
const faults = faultsFromEnvironment(fault);
// Off unless an OTLP endpoint is configured; started before anything it traces.
const tracing = config.tracing.enabled ? await startTracing() : undefined;
const traced = tracing !== undefined;
const database = await openDatabase(
  config.database.kind === 'postgres'
    ? { kind: 'postgres', url: config.database.url, traced, timeouts: config.databaseTimeouts }
    : { kind: 'pglite', dataDir: config.database.dataDir, traced },
).catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(error.message);
  process.exit(1);
});
phase('database');
await migrateWhenReachable(database);
phase('migrate');
const app = await buildApp({ config, database, faults, ...(tracing ? { tracing } : {}) });
phase('app');

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'closing after an error');
  else app.log.info({ signal }, 'shutting down: finishing in-flight requests');
  await app.close();
  await database.close();
  await tracing?.shutdown();
});

const address = await app.listen({ host: config.host, port: config.port });
phase('listen');
const base = address.replace('://[::1]', '://localhost');
const seconds = (performance.now() / 1000).toFixed(2);
app.log.info({ phases }, `Tandem ready in ${seconds}s on ${database.kind === 'pglite' ? `embedded PGlite (${config.database.kind === 'pglite' ? config.database.dataDir : ''})` : 'PostgreSQL'}`);

if (config.env !== 'production') console.log(startBanner(config, base, seconds));

/**
 * Migrates, waiting for an unreachable PostgreSQL with backoff (1, 2, 4 … 15 s) for up to
 * DATABASE_START_TIMEOUT: a database that starts a little after Tandem (compose, a failover) is
 * waited for; one that stays away ends the process with one line saying what to check, and the
 * supervisor decides what next. Anything but an unreachable database fails at once, as before.
 */
async function migrateWhenReachable(handle: DatabaseHandle): Promise<void> {
  const deadline = performance.now() + config.databaseTimeouts.start * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await handle.migrate();
    } catch (error) {
      if (handle.kind !== 'postgres' || !isConnectionFailure(error)) throw error;
      const where = config.database.kind === 'postgres' ? databaseAddress(config.database.url) : '';
      const reason = describe(error);
      const wait = Math.min(15_000, 1000 * 2 ** attempt, deadline - performance.now());
      if (wait <= 0) {
        console.error(`Tandem could not reach PostgreSQL at ${where} within ${config.databaseTimeouts.start} s (${reason}); exiting. Check DATABASE_URL, that the database runs and accepts connections from here, then start again.`);
        await handle.close().catch(() => {});
        process.exit(1);
      }
      if (attempt === 0) {
        console.error(`PostgreSQL at ${where} is unreachable (${reason}). Check DATABASE_URL and that the database runs and accepts connections; retrying for up to ${config.databaseTimeouts.start} s (DATABASE_START_TIMEOUT).`);
      }
      await sleep(wait);
    }
  }
}

/** Host, port and database name of a URL, never its user or password. */
function databaseAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

/** The code and message of a connection failure, as deep as drizzle wrapped it; no statement, no parameters. */
function describe(error: unknown): string {
  let current = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | undefined;
  for (let depth = 0; current && depth < 4; depth++) {
    if (Array.isArray(current.errors) && current.errors.length) current = current.errors[0] as typeof current;
    if (typeof current?.code === 'string') return `${current.code}${typeof current.message === 'string' && !current.message.startsWith('Failed query') ? `: ${current.message}` : ''}`;
    current = current?.cause as typeof current;
  }
  return 'no answer';
}
