import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { processAlive } from '../src/db/process-alive.ts';
import { nodeBundle } from '../scripts/build.mjs';
import type { ChildSettings, Command, Envelope, Reply } from './child/protocol.ts';

export interface Child {
  pid: number;
  port: number;
  url: string;
  call<T extends Reply['type']>(command: Command, expect: T): Promise<Extract<Reply, { type: T }>>;
  stop(): Promise<void>;
}

const source = fileURLToPath(new URL('./child/main.ts', import.meta.url));
// The matching solver's worker thread, found beside the bundle as in dist/ (src/solver/solve-assignment.ts).
const solverWorker = fileURLToPath(new URL('../src/solver/solver-worker.ts', import.meta.url));
// Inside the project, so the bundle finds its packages in node_modules (and src/root.ts the root).
const buildsDir = fileURLToPath(new URL('../node_modules/.cache/tandem-bench/', import.meta.url));

let built: Promise<string> | undefined;

/**
 * bench/child/main.ts built to JavaScript the way `npm run build` builds src/server.ts (same
 * esbuild options), once per bench run, into a folder removed when the bench exits. Code
 * splitting keeps the dynamic imports apart: the framework ceiling's process loads fastify alone.
 */
function buildChild(): Promise<string> {
  built ??= (async () => {
    await mkdir(buildsDir, { recursive: true });
    await removeAbandonedBuilds();
    const outdir = await mkdtemp(`${buildsDir}run-${process.pid}-`);
    process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
    await build({ ...nodeBundle, entryPoints: { main: source, 'solver-worker': solverWorker }, outdir, splitting: true, chunkNames: 'chunk-[hash]' });
    return `${outdir}/main.mjs`;
  })();
  return built;
}

/** Builds left by bench runs that were killed (their process is gone); other running benches keep theirs. */
async function removeAbandonedBuilds(): Promise<void> {
  for (const name of await readdir(buildsDir)) {
    const pid = Number(/^run-(\d+)-/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) await rm(`${buildsDir}${name}`, { recursive: true, force: true });
  }
}

/** Forks the built bench/child/main.ts with plain node (as production runs dist/server.mjs) and waits until it listens. */
export async function startChild(settings: ChildSettings): Promise<Child> {
  const child: ChildProcess = fork(await buildChild(), [], {
    // Source maps: errors and CPU profiles (bench/child/profiler.ts) point at the TypeScript sources.
    // The flags of npm start and the Dockerfile: an explicit heap limit makes V8 collect sooner (peak RSS ~145 MB, not ~250).
    execArgv: ['--enable-source-maps', '--max-old-space-size=384'],
    env: { ...process.env, BENCH_CHILD: JSON.stringify(settings), NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  const ready = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${settings.mode} child exited with ${code} before it was ready`)));
    waiting.set(0, (reply) => (reply.type === 'ready' ? resolve(reply.port) : reject(new Error(`the ${settings.mode} child failed:\n${reply.type === 'failed' ? reply.error : reply.type}`))));
  });
  child.on('message', ({ id, message }: Envelope<Reply>) => {
    const resolve = waiting.get(id);
    waiting.delete(id);
    resolve?.(message);
  });
  const port = await ready;

  const call: Child['call'] = (command, expect) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, (reply) => (reply.type === expect ? resolve(reply as never) : reject(new Error(`expected ${expect}, got ${reply.type}`))));
      child.send({ id, message: command } satisfies Envelope<Command>);
    });

  return {
    pid: child.pid!,
    port,
    url: `http://127.0.0.1:${port}`,
    call,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await Promise.race([call({ type: 'stop' }, 'done').catch(() => {}), new Promise((r) => setTimeout(r, 15_000))]);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
