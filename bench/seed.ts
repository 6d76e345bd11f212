import { pathToFileURL } from 'node:url';
import { parseBenchArgs } from './args.ts';
import { benchDatabaseName, connect, recreateDatabase } from './database.ts';
import { SEEDED_TABLES, createIdFunction, dropIdFunction, invariantCheck, seedPlan, seedSteps } from './seed-sql.ts';
import { setAsideConstraints } from './set-aside-constraints.ts';

export interface SeedReport {
  relationships: number;
  rows: number;
  seconds: number;
  /** Per table: rows and seconds of its INSERT … SELECT. */
  tables: { table: string; rows: number; seconds: number }[];
  phases: Record<string, number>;
}

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Loads an organisation with `relationships` relationships straight in SQL (INSERT … SELECT over
 * generate_series), with keys and indexes set aside during the load and rebuilt after.
 */
export async function seed(url: string, relationships: number): Promise<SeedReport> {
  const sql = connect(url, 1);
  const started = performance.now();
  const since = (t: number) => (performance.now() - t) / 1000;
  try {
    await sql.unsafe(`set synchronous_commit = off`);
    await sql.unsafe(`set maintenance_work_mem = '512MB'`);
    await sql.unsafe(`set work_mem = '128MB'`);
    await sql.unsafe(createIdFunction);
    const setAside = await setAsideConstraints(sql, SEEDED_TABLES);
    const plan = seedPlan(relationships, Date.now());
    const tables: SeedReport['tables'] = [];
    for (const step of seedSteps(plan)) {
      const t = performance.now();
      const result = await sql.unsafe(step.sql);
      const row = { table: step.table, rows: result.count, seconds: since(t) };
      tables.push(row);
      log(`  ${step.table.padEnd(14)} ${String(row.rows).padStart(10)} rows  ${row.seconds.toFixed(1).padStart(6)} s  ${rate(row.rows, row.seconds)} rows/s`);
    }
    const loaded = since(started);
    const restored = await setAside.restore();
    log(`  keys ${restored.keys.toFixed(1)} s, indexes ${restored.indexes.toFixed(1)} s, foreign keys ${restored.foreignKeys.toFixed(1)} s`);
    let t = performance.now();
    await sql.unsafe('vacuum (analyze)');
    const vacuum = since(t);
    t = performance.now();
    const [check] = await sql.unsafe<{ broken: number }[]>(invariantCheck);
    if (!check || check.broken !== 0) throw new Error(`seed invariant broken: ${check?.broken} relationships whose history does not end at their stage and version`);
    await sql.unsafe(dropIdFunction);
    const rows = tables.reduce((sum, r) => sum + r.rows, 0);
    const seconds = since(started);
    log(`  vacuum analyze ${vacuum.toFixed(1)} s; history invariant checked in ${since(t).toFixed(1)} s`);
    log(`  seeded ${rows} rows in ${seconds.toFixed(1)} s (${rate(rows, seconds)} rows/s overall, ${rate(rows, loaded)} rows/s while inserting)`);
    return { relationships, rows, seconds, tables, phases: { insert: loaded, ...restored, vacuum } };
  } finally {
    await sql.end();
  }
}

const rate = (rows: number, seconds: number) => Math.round(rows / Math.max(seconds, 0.001)).toLocaleString('en');

// `tsx bench/seed.ts --relationships 1000000`: recreate tandem_bench_<n> and seed it, nothing else.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const options = parseBenchArgs();
  for (const size of options.sizes) {
    const url = await recreateDatabase(options.serverUrl, benchDatabaseName(size));
    log(`seeding ${benchDatabaseName(size)} with ${size} relationships`);
    await seed(url, size);
  }
}
