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
