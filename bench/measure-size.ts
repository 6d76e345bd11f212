import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { signDevelopmentToken } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import type { BenchOptions } from './args.ts';
import { startChild, type Child } from './child-process.ts';
import { connect, type Sql } from './database.ts';
import { explainStatements } from './explain.ts';
import { prewarm } from './prewarm.ts';
import type { SizeReport } from './report/types.ts';
import { runScenario } from './run-scenario.ts';
import { SCENARIOS, SCIM_PROVISIONING, WEBHOOKS } from './scenarios/index.ts';
import { measureScimProvisioning } from './scim/provisioning.ts';
import type { BenchContext } from './scenarios/types.ts';
import { BENCH_ORG } from './seed-sql.ts';
import type { SeedReport } from './seed.ts';
import { measureFanOut, webhooksBuilt } from './webhooks/fan-out.ts';
import { startReceiver } from './webhooks/receiver.ts';

const SAMPLE = 20_000;

async function context(size: number, sql: Sql, appUrl: string, token: string, connections: number): Promise<BenchContext> {
  const ids = await sql<{ id: string }[]>`select id from relationships where org_id = ${BENCH_ORG} order by random() limit ${SAMPLE}`;
  // Programme 0 is the oldest and holds a quarter of the relationships (seed-sql.ts).
  const [big] = await sql<{ id: string }[]>`select id from programmes where org_id = ${BENCH_ORG} order by id limit 1`;
  return {
    size,
    sql,
    org: BENCH_ORG,
    appUrl,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    connections,
    relationshipIds: ids.map((r) => r.id),
    bigProgrammeId: big!.id,
  };
}

/** Every scenario at one size: the app and the framework ceiling in child processes, the load and the database ceiling here. */
export async function measureSize(size: number, url: string, seed: SeedReport | undefined, options: BenchOptions, log: (line: string) => void): Promise<SizeReport> {
  const report: SizeReport = { size, ...(seed ? { seed } : {}), scenarios: [], explain: {} };
  const wanted = (name: string) => options.only.length === 0 || options.only.includes(name);
  const jwtSecret = randomBytes(32).toString('hex');
  const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: jwtSecret, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const token = signDevelopmentToken(config, { org: BENCH_ORG, roles: ['admin'], sub: 'bench-admin' });
  const settings = { databaseUrl: url, pool: options.pool, jwtSecret };
  const sql = connect(url, 2);
  const pool = connect(url, options.pool);
  const children: Child[] = [];
  const profileDir = options.profile ? new URL('./results/profiles', import.meta.url).pathname : null;
  if (profileDir) await mkdir(profileDir, { recursive: true });
  try {
    const framework = await startChild({ ...settings, mode: 'framework', webhooks: false });
    children.push(framework);
    const app = await startChild({ ...settings, mode: 'app', webhooks: false });
    children.push(app);
    const ctx = await context(size, sql, app.url, token, options.connections);
    const warmed = await prewarm(sql);
    log(warmed === null ? '  pg_prewarm is not available: the first run of each scenario may read cold pages' : `  prewarmed the tables and indexes into the page cache in ${warmed.toFixed(1)} s`);
    for (const scenario of SCENARIOS.filter((s) => wanted(s.name))) {
      const result = await runScenario(scenario, ctx, { app, framework }, pool, { seconds: options.duration, unprepared: options.unprepared, profileDir, log });
      report.scenarios.push(result);
      if (result.statements) report.explain[scenario.name] = await explainStatements(sql, result.statements.app);
    }
    if (wanted(SCIM_PROVISIONING)) {
      // After the scenarios: it adds 3 × (N + 200) people to the organisation.
      log(`  ${SCIM_PROVISIONING}: ${options.scimPeople} people in each of SCIM one at a time, SCIM with a lookup first, and the REST batch`);
      const scimToken = signDevelopmentToken(config, { org: BENCH_ORG, roles: ['integration'], sub: 'bench-idp', scope: 'scim' });
      try {
        report.scimProvisioning = await measureScimProvisioning({
          appUrl: app.url,
          scimToken,
          adminToken: token,
          people: options.scimPeople,
          appCpu: async () => {
            const { user, system } = await app.call({ type: 'cpu' }, 'cpu');
            return user + system;
          },
          log,
        });
      } catch (error) {
        report.scimProvisioningSkipped = `failed: ${error instanceof Error ? error.message : String(error)}`;
        log(`  ${SCIM_PROVISIONING}: ${report.scimProvisioningSkipped}`);
      }
    }
    await Promise.all(children.splice(0).map((child) => child.stop()));

    if (wanted(WEBHOOKS)) {
      if (!webhooksBuilt()) report.fanOutSkipped = 'src/webhooks does not exist yet';
      else {
        const receiver = await startReceiver();
        const dispatching = await startChild({ ...settings, mode: 'app', webhooks: true });
        children.push(dispatching);
        const bare = await startChild({ ...settings, mode: 'framework', webhooks: false });
        children.push(bare);
        try {
          log(`  webhooks: fan-out to ${receiver.url} with ${options.webhookEndpoints} endpoints`);
          report.fanOut = await measureFanOut({ ...ctx, appUrl: dispatching.url }, dispatching, bare, receiver, {
            log,
            endpoints: options.webhookEndpoints,
            seconds: options.duration,
            profilePath: profileDir ? `${profileDir}/${size}-webhooks-burst.cpuprofile` : null,
          });
          const f = report.fanOut;
          log(`    steady ${f.steady.rps.toFixed(0)} events/s, ${f.steady.delivered}/${f.steady.expected} delivered, p50 ${f.steady.p50.toFixed(1)} ms p99 ${f.steady.p99.toFixed(1)} ms`);
          log(`    burst  ${f.burst.deliveriesPerSecond.toFixed(0)} deliveries/s, ${f.burst.delivered}/${f.burst.expected} delivered${f.note ? ` (${f.note})` : ''}`);
        } catch (error) {
          report.fanOutSkipped = `failed: ${error instanceof Error ? error.message : String(error)}`;
          log(`  webhooks: ${report.fanOutSkipped}`);
        } finally {
          await receiver.close();
        }
      }
    }
  } finally {
    await Promise.all(children.map((child) => child.stop()));
    await sql.end();
    await pool.end();
  }
  return report;
}
