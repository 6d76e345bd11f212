// A fresh clone's first `npm start` (issue 18: ready in under 3 s on a quiet machine), timed as a
// person meets it: `git clone`, `npm ci`, then `npm start` from its spawn until GET /ready answers 200.
// Each round is a new clone and `npm ci --prefer-offline` (from npm's cache, no download). The
// breakdown: what came before the server's process (npm, prestart), and the server's own phases as
// its ready log line reports them (src/server.ts). Run by bench/first-start.ts and by `npm run bench`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The commit a ref names in this checkout (a first start clones a commit, so work must be committed). */
export const commitOf = (ref: string) => execFileSync('git', ['-C', root, 'rev-parse', ref], { encoding: 'utf8' }).trim();

export interface FirstStartRound {
  install: number;
  ready: number;
  /** CPU time (user and system) of npm start and all it ran, until ready; NaN where /proc is missing. */
  cpu: number;
  server: number;
  phases: Record<string, number>;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The CPU time of every process in a process group so far, from /proc (Linux): each live process's own
 * time plus that of the children it has waited for, so an exited child (prestart) counts once, in its parent.
 * On a shared machine wall time swings with the load; this does much less.
 */
function groupCpuMs(group: number): number {
  if (!existsSync('/proc/self/stat')) return Number.NaN;
  const ticksPerMs = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) / 1000;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The fields after the command (which may hold spaces) start at state: pgrp is the 3rd, utime the 12th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks / ticksPerMs;
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

/** One round: a new clone of `commit`, `npm ci --prefer-offline`, then `npm start` until GET /ready answers 200. */
export async function firstStartRound(commit: string, options: { ignoreScripts?: boolean } = {}): Promise<FirstStartRound> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-first-start-'));
  try {
    const clone = join(dir, 'clone');
    execFileSync('git', ['clone', '--quiet', '--no-checkout', root, clone]);
    execFileSync('git', ['-C', clone, 'checkout', '--quiet', commit]);
    const ci = ['ci', '--prefer-offline', '--no-audit', '--no-fund', ...(options.ignoreScripts ? ['--ignore-scripts'] : [])];
    const install = timed(() => execFileSync('npm', ci, { cwd: clone, stdio: 'ignore' }));
    return { install, ...(await firstStart(clone, join(dir, 'data'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function firstStart(clone: string, dataDir: string): Promise<Omit<FirstStartRound, 'install'>> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'development', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const started = performance.now();
  // Its own process group, so that npm, the shell and node all stop together.
  const child = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`npm start exited before it was ready:\n${output}`);
      if (performance.now() - started > 60_000) throw new Error(`not ready in 60 s:\n${output}`);
      const status = await fetch(`http://127.0.0.1:${port}/ready`).then((response) => response.status, () => 0);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ready = performance.now() - started;
    const cpu = groupCpuMs(child.pid!);
    // The log line is written asynchronously and may arrive after /ready has answered.
    const phasesLine = () => output.split('\n').find((text) => text.includes('"phases"'));
    for (let waited = 0; !phasesLine() && waited < 5_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    const line = phasesLine();
    if (!line) throw new Error(`no ready log line with phases:\n${output}`);
    const phases = (JSON.parse(line) as { phases: Record<string, number> }).phases;
    const server = Object.values(phases).reduce((sum, ms) => sum + ms, 0);
    return { ready, cpu, server, phases };
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await gone;
  }
}

