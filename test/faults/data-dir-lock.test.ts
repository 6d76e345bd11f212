import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.ts';
import { DataDirLockedError } from '../../src/db/data-dir-lock.ts';
import { processStartTime } from '../../src/db/process-alive.ts';
import { startServer } from '../helpers/child-server.ts';
import { RUN_TYPESCRIPT } from '../helpers/typescript-child.ts';

// PGlite serves one process: a second one on the same DATA_DIR is refused, naming the directory
// and the process that has it; a lock left by a killed process is stale and taken over.
const dir = await mkdtemp(join(tmpdir(), 'tandem-lock-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

t.test('a second open of the same data directory is refused; after close it opens', async (t) => {
  const data = join(dir, 'in-process');
  const first = await openDatabase({ kind: 'pglite', dataDir: data });
  const refused = await openDatabase({ kind: 'pglite', dataDir: data }).catch((error: unknown) => error);
  t.ok(refused instanceof DataDirLockedError, 'refused');
  t.match((refused as Error).message, data, 'names the directory');
  t.match((refused as Error).message, String(process.pid), 'names the process');
  await first.close();
  const second = await openDatabase({ kind: 'pglite', dataDir: data });
  t.same(await second.rows(sql`select 1 as one`), [{ one: 1 }], 'opens and answers once the first is closed');
  await second.close();
});

t.test('a lock left by a dead process is taken over', async (t) => {
  const data = join(dir, 'stale');
  const first = await openDatabase({ kind: 'pglite', dataDir: data });
  await first.close();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await writeFile(join(data, 'tandem.lock'), JSON.stringify({ pid: Number(dead.stdout), hostname: hostname(), startedAt: '2026-01-01T00:00:00Z' }));
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  const lock = JSON.parse(await readFile(join(data, 'tandem.lock'), 'utf8'));
  t.equal(lock.pid, process.pid, 'the lock is ours now');
  await database.close();
  await writeFile(join(data, 'tandem.lock'), '{"pid": 12');
  const halfWritten = await openDatabase({ kind: 'pglite', dataDir: data });
  t.equal(JSON.parse(await readFile(join(data, 'tandem.lock'), 'utf8')).pid, process.pid, 'a half-written lock is stale too: taken over');
  await halfWritten.close();
});

// A pid is reused after a crash or a reboot: a lock naming a live process that started at another
// time than its holder is stale. Where the system does not tell a process's start (no /proc), a
// live pid is taken as the holder, as before.
const noProc = processStartTime(process.pid) === undefined ? 'needs /proc/<pid>/stat (Linux) to tell a reused pid' : false;
t.test('a lock naming a live but unrelated process (a reused pid) is taken over; its true holder is not', { skip: noProc }, async (t) => {
  const data = join(dir, 'reused');
  const first = await openDatabase({ kind: 'pglite', dataDir: data });
  await first.close();
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  t.teardown(() => other.kill());
  await new Promise((resolve) => other.once('spawn', resolve));
  const pid = other.pid!;
  const lock = join(data, 'tandem.lock');

  // The lock's holder started at another time than the process that has its pid now.
  await writeFile(lock, JSON.stringify({ pid, hostname: hostname(), startedAt: '2026-01-01T00:00:00Z', processStart: `${processStartTime(pid)!.split(':')[0]}:1` }));
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  t.equal(JSON.parse(await readFile(lock, 'utf8')).pid, process.pid, 'taken over: the pid is another process now');
  await database.close();

  // The same pid with its own start time: that process is the holder, and it is refused.
  await writeFile(lock, JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString(), processStart: processStartTime(pid) }));
  const refused = await openDatabase({ kind: 'pglite', dataDir: data }).catch((error: unknown) => error);
  t.ok(refused instanceof DataDirLockedError, 'the live holder keeps it');
  t.match((refused as Error).message, String(pid), 'naming it');

  // A lock written before start times were recorded: a live pid still holds it (the cautious answer).
  await writeFile(lock, JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString() }));
  t.ok((await openDatabase({ kind: 'pglite', dataDir: data }).catch((error: unknown) => error)) instanceof DataDirLockedError, 'a lock without a start time: refused while its pid runs');
  await rm(lock);
});

t.test('our own lock records when this process started', { skip: noProc }, async (t) => {
  const data = join(dir, 'records');
  const database = await openDatabase({ kind: 'pglite', dataDir: data });
  t.equal(JSON.parse(await readFile(join(data, 'tandem.lock'), 'utf8')).processStart, processStartTime(process.pid));
  await database.close();
});

const pgliteOnly = process.env.TEST_DATABASE_URL ? 'PGlite only: with TEST_DATABASE_URL the servers would use PostgreSQL' : false;
t.test('a second server on the same DATA_DIR refuses to start', { skip: pgliteOnly }, async (t) => {
  const data = join(dir, 'servers');
  const first = await startServer({ DATA_DIR: data });
  t.teardown(() => first.stop());
  const second = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/server.ts'], {
    env: { ...process.env, ...first.env, PORT: '0', DATA_DIR: data },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  second.stdout.on('data', (chunk) => (output += chunk));
  second.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
  t.equal(code, 1, 'the second exits with 1');
  t.match(output, data, 'naming the directory');
  t.match(output, String(first.pid), 'and the process that has it');
  t.equal((await fetch(`${first.url}/ready`)).status, 200, 'the first serves on');
});
