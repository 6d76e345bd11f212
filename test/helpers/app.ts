import type { Test } from 'tap';
import { buildApp, type App } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { DatabaseHandle } from '../../src/db/client.ts';
import type { Actor, Clock } from '../../src/domain/context.ts';
import type { Tracing } from '../../src/observability/tracing.ts';
import type { Role } from '../../src/vocabulary.ts';
import { freshDatabase } from './database.ts';

export interface TestApp {
  app: App;
  database: DatabaseHandle;
  config: Config;
  /** A bearer header for the given caller. */
  auth(actor: Partial<Actor> & { org: string }): { authorization: string };
}

export const testConfig = (overrides: Partial<Config> = {}): Config => ({
  // Suites fire thousands of requests from one address (the limits have their own test), and
  // webhook and scheduler tests run their own dispatcher and scheduler under a controlled clock.
  ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WEBHOOK_ALLOW_PRIVATE_URLS: 'true', RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '1000000', WEBHOOKS_DISPATCH: 'off', JOBS_RUN: 'off' }),
  ...overrides,
});

/** Builds the app on a fresh database for one test file; closed when the test ends. */
export async function buildTestApp(t: Test, options: { clock?: Clock; config?: Partial<Config>; tracing?: Tracing; logStream?: { write(line: string): void } } = {}): Promise<TestApp> {
  // With tracing, the database traces its statements too, as server.ts opens it.
  const { database, drop } = await freshDatabase({ traced: options.tracing !== undefined });
  const config = testConfig(options.config);
  const app = await buildApp({
    config,
    database,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.tracing ? { tracing: options.tracing } : {}),
    ...(options.logStream ? { logger: { stream: options.logStream } } : {}),
  });
  t.teardown(async () => {
    await app.close();
    await drop();
  });
  const auth = (actor: Partial<Actor> & { org: string }) => {
    const roles: Role[] = actor.roles ?? ['admin'];
    const token = signDevelopmentToken(config, { org: actor.org, roles, sub: actor.sub ?? `test-${roles[0]}` });
    return { authorization: `Bearer ${token}` };
  };
  return { app, database, config, auth };
}

let orgCounter = 0;
/** A fresh organisation id per test, so tests never share data. */
export const uniqueOrg = (label = 'org') => `${label}-${process.pid}-${++orgCounter}-${Math.random().toString(36).slice(2, 8)}`;
