import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { loadConfig } from '../../src/config.ts';
import { CHILD_READY_DEADLINE_MS, RUN_TYPESCRIPT } from './typescript-child.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface ChildServer {
  url: string;
  pid: number;
  env: Record<string, string>;
  child: ChildProcess;
  output(): string;
  /** A bearer header for an admin of `org`. */
  auth(org: string): { authorization: string };
  /** Resolves when the process has exited (by itself, a fault hook, or a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real server (src/server.ts) in a child process on a fixed port, so a restart keeps its URL;
 * resolves once /ready answers 200. PGlite in `DATA_DIR`, or PostgreSQL with `DATABASE_URL`.
 */
export async function startServer(overrides: Record<string, string>, port?: number): Promise<ChildServer> {
  const { env, child, output, exited } = await launchServer(overrides, port);
  const url = `http://127.0.0.1:${env.PORT}`;
  const deadline = Date.now() + CHILD_READY_DEADLINE_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the server exited before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready in ${CHILD_READY_DEADLINE_MS / 1000} s:\n${output()}`);
    }
    const ready = await fetch(`${url}/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const config = loadConfig(env);
  return {
    url,
    pid: child.pid!,
    env,
    child,
    output,
    auth: (org) => ({ authorization: `Bearer ${signDevelopmentToken(config, { org, roles: ['admin'], sub: 'fault-test' })}` }),
    exited,
    kill: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (!gone) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The real server (or `entry`, such as scripts/worker.ts) in a child process, not waited for: for tests of how it starts or refuses to. */
export async function launchServer(overrides: Record<string, string>, port?: number, entry = 'src/server.ts') {
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port ?? (await freePort())),
    LOG_LEVEL: 'fatal',
    JWT_SECRET: 'fault-tests-secret-0123456789abcdef0123',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_IP_PER_MINUTE: '1000000',
    WEBHOOKS_DISPATCH: 'off',
    JOBS_RUN: 'off',
    DATABASE_URL: '',
    ...overrides,
  };
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { env, child, output: () => output, exited };
}
