import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.ts';

t.test('defaults run out of the box on embedded PGlite', async (t) => {
  const config = loadConfig({});
  t.match(config, { env: 'development', host: '127.0.0.1', port: 3000, database: { kind: 'pglite', dataDir: './.data' } });
  t.equal(config.jwt.usingDevelopmentSecret, true);
  t.equal(config.webhooks.dispatch, true);
});

t.test('DATABASE_URL switches to PostgreSQL', async (t) => {
  t.same(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database, { kind: 'postgres', url: 'postgres://u@h:5432/db' });
});

t.test('a bad value stops start-up with a message naming the variable', async (t) => {
  for (const [env, variable] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ WEBHOOKS_DISPATCH: 'maybe' }, 'WEBHOOKS_DISPATCH'],
    [{ METRICS_TOKEN: 'too-short' }, 'METRICS_TOKEN'],
    [{ METRICS_PORT: '9464' }, 'METRICS_PORT'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'the collector' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ DATABASE_STATEMENT_TIMEOUT: 'ten seconds' }, 'DATABASE_STATEMENT_TIMEOUT'],
    [{ REQUEST_TIMEOUT: '-1' }, 'REQUEST_TIMEOUT'],
    [{ READY_TIMEOUT: '0' }, 'READY_TIMEOUT'],
    [{ MATCHING_SOLVE_TIMEOUT: '0' }, 'MATCHING_SOLVE_TIMEOUT'],
    [{ DATABASE_STATEMENT_TIMEOUT: '1m', DATABASE_QUERY_TIMEOUT: '30s' }, 'DATABASE_QUERY_TIMEOUT'],
  ] as const) {
    let message = '';
    try {
      loadConfig(env);
    } catch (error) {
      t.ok(error instanceof ConfigError);
      message = (error as Error).message;
    }
    t.match(message, new RegExp(`- ${variable}: `), `${JSON.stringify(env)} names ${variable}`);
  }
});

t.test('timeouts: defaults a supervisor and a load balancer expect, each one configurable', async (t) => {
  const defaults = loadConfig({});
  t.same(defaults.databaseTimeouts, { connect: 5, statement: 10, query: 15, idleInTransaction: 30, start: 60 });
  t.same(defaults.timeouts, { request: 30, ready: 2 });
  const set = loadConfig({
    DATABASE_CONNECT_TIMEOUT: '2s',
    DATABASE_STATEMENT_TIMEOUT: '1m',
    DATABASE_QUERY_TIMEOUT: '90',
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: '0',
    DATABASE_START_TIMEOUT: '5m',
    REQUEST_TIMEOUT: '2m',
    READY_TIMEOUT: '1s',
  });
  t.same(set.databaseTimeouts, { connect: 2, statement: 60, query: 90, idleInTransaction: 0, start: 300 });
  t.same(set.timeouts, { request: 120, ready: 1 });
  t.same(defaults.matching, { solveTimeout: 120 }, 'a matching run\'s HiGHS solve may take two minutes');
  t.same(loadConfig({ MATCHING_SOLVE_TIMEOUT: '5m' }).matching, { solveTimeout: 300 });
});

t.test('traces are off unless an OTLP endpoint is configured', async (t) => {
  t.equal(loadConfig({}).tracing.enabled, false);
  t.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing.enabled, true);
  t.equal(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }).tracing.enabled, true);
});

t.test('production refuses to run without a real secret', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), /JWT_SECRET: is required/);
  t.throws(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'tandem-development-secret-do-not-use-in-production' }), /development secret/);
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40) });
  t.equal(config.jwt.usingDevelopmentSecret, false);
});
