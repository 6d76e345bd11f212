import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Relationship counts to seed and measure, in order. */
  sizes: number[];
  /** Seconds of load per measurement (each scenario has three or four). */
  duration: number;
  /** Concurrent HTTP connections, and concurrent workers for the database ceiling. */
  connections: number;
  /** Database pool of the app (server.ts's default, 10) and of the database ceiling. */
  pool: number;
  /** Scenario names to run; empty means all. */
  only: string[];
  /** Reuse an already seeded tandem_bench_<size> database instead of reseeding. */
  reuse: boolean;
  /** Keep the bench databases after the run (default: keep, so EXPLAIN can be rerun by hand). */
  drop: boolean;
  /** Also measure the database ceiling with unprepared statements, as drizzle sends them. */
  unprepared: boolean;
  /** Take a CPU profile of the app for each scenario (slows it: numbers are then not comparable). */
  profile: boolean;
  /** Webhook endpoints subscribed for the fan-out scenario. */
  webhookEndpoints: number;
  /** People provisioned in each mode of the SCIM provisioning measurement. */
  scimPeople: number;
  serverUrl: string;
  /** Rounds of a fresh clone's first `npm start` (bench/start/first-start.ts) after the sizes; 0 skips it. */
  firstStartRounds: number;
  /** Only seed (and print the seed time), no load. */
  seedOnly: boolean;
  commandLine: string;
}

export function parseBenchArgs(argv: string[] = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: '10000,1000000' },
      relationships: { type: 'string' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '20' },
      pool: { type: 'string', default: '10' },
      only: { type: 'string', default: '' },
      reuse: { type: 'boolean', default: false },
      drop: { type: 'boolean', default: false },
      unprepared: { type: 'boolean', default: true },
      'no-unprepared': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'webhook-endpoints': { type: 'string', default: '2' },
      'scim-people': { type: 'string', default: '10000' },
      'seed-only': { type: 'boolean', default: false },
      'first-start-rounds': { type: 'string', default: '3' },
    },
    strict: true,
  });
  const sizes = (values.relationships ?? values.sizes).split(',').map((s) => positive(s.replace(/_/g, ''), 'sizes'));
  return {
    sizes,
    duration: positive(values.duration, 'duration'),
    connections: positive(values.connections, 'connections'),
    pool: positive(values.pool, 'pool'),
    only: values.only.split(',').filter(Boolean),
    reuse: values.reuse,
    drop: values.drop,
    unprepared: values.unprepared && !values['no-unprepared'],
    profile: values.profile,
    webhookEndpoints: positive(values['webhook-endpoints'], 'webhook-endpoints'),
    scimPeople: positive(values['scim-people'].replace(/_/g, ''), 'scim-people'),
    serverUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    seedOnly: values['seed-only'],
    // A partial run (--only) measures the first start only when it names it.
    firstStartRounds: values.only && !values.only.split(',').includes('first-start') ? 0 : nonNegative(values['first-start-rounds'], 'first-start-rounds'),
    commandLine: ['npm run bench --', ...argv].join(' '),
  };
}

function nonNegative(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, not "${text}"`);
  return value;
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, not "${text}"`);
  return value;
}
