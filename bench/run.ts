import { loadavg } from 'node:os';
import { parseBenchArgs } from './args.ts';
import { benchDatabaseName, connect, databaseExists, databaseUrl, dropDatabase, migrate, recreateDatabase } from './database.ts';
import { measureSize } from './measure-size.ts';
import { machineNotes } from './report/machine.ts';
import { targetsTable } from './report/markdown.ts';
import { evaluateTargets, sizeLabel } from './report/targets.ts';
import type { RunReport, SizeReport } from './report/types.ts';
import { writeResults } from './report/write-results.ts';
import { seed } from './seed.ts';
import { commitOf, firstStartRound, type FirstStartRound } from './start/first-start.ts';

// npm run bench [-- --sizes 10000,1000000 --duration 10 --connections 20 --pool 10 --only read,transition
//                  --reuse --drop --no-unprepared --profile --webhook-endpoints 2 --seed-only]
const options = parseBenchArgs();
const log = (line: string) => process.stdout.write(`${line}\n`);
const started = performance.now();

const admin = connect(options.serverUrl);
const machine = await machineNotes(admin, options.commandLine).finally(() => admin.end());
log(`bench: ${options.sizes.map(sizeLabel).join(', ')} relationships; ${options.duration} s per run, ${options.connections} connections, pool ${options.pool}`);

const sizes: SizeReport[] = [];
for (const size of options.sizes) {
  const name = benchDatabaseName(size);
  let url = databaseUrl(options.serverUrl, name);
  let seeded;
  if (options.reuse && (await databaseExists(options.serverUrl, name))) {
    log(`${sizeLabel(size)}: reusing ${name} (migrating it to the current schema)`);
    await migrate(url);
  } else {
    log(`${sizeLabel(size)}: creating and seeding ${name}`);
    url = await recreateDatabase(options.serverUrl, name);
    seeded = await seed(url, size);
  }
  if (options.seedOnly) {
    sizes.push({ size, ...(seeded ? { seed: seeded } : {}), scenarios: [], explain: {} });
    continue;
  }
  log(`${sizeLabel(size)}: measuring`);
  sizes.push(await measureSize(size, url, seeded, options, log));
  if (options.drop) await dropDatabase(options.serverUrl, name);
}

// A seed-only run measured nothing: RESULTS.md keeps the last measured run.
if (options.seedOnly) process.exit(0);

let firstStart: RunReport['firstStart'];
if (options.firstStartRounds > 0) {
  const commit = commitOf('HEAD');
  const loadBefore = loadavg();
  const rounds: FirstStartRound[] = [];
  for (let i = 1; i <= options.firstStartRounds; i++) {
    rounds.push(await firstStartRound(commit));
    log(`first start ${i}/${options.firstStartRounds}: ready ${(rounds.at(-1)!.ready / 1000).toFixed(2)} s after spawn`);
  }
  firstStart = { commit, rounds, loadBefore };
}

const report: RunReport = { options, machine, sizes, ...(firstStart ? { firstStart } : {}), seconds: (performance.now() - started) / 1000 };
const written = await writeResults(report);
log(`\n${targetsTable(evaluateTargets(report))}\n\nwrote ${written}`);
