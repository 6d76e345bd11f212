import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { startBanner } from './start-banner.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openDatabase } from './db/client.ts';
import { DataDirLockedError } from './db/data-dir-lock.ts';
import { DatabaseUnreachableError, migrateWhenReachable } from './db/migrate-when-reachable.ts';
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
// An unreachable PostgreSQL is waited for (DATABASE_START_TIMEOUT), then one line and exit 1.
await migrateWhenReachable(database, config.database.kind === 'postgres' ? config.database.url : '', config.databaseTimeouts.start, (line) => console.error(line)).catch(
  async (error: unknown) => {
    if (!(error instanceof DatabaseUnreachableError)) throw error;
    console.error(error.message);
    await database.close().catch(() => {});
    process.exit(1);
  },
);
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

