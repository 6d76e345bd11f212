import { spawn, type ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../../../src/db/client.ts';
import { CHILD_READY_DEADLINE_MS, RUN_TYPESCRIPT } from '../../helpers/typescript-child.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The URL of the test's own PostgreSQL database (each test file has one). */
export async function databaseUrl(database: DatabaseHandle): Promise<string> {
  const [row] = await database.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${row!.name}`;
  return url.toString();
}

/** Runs a TypeScript file in a child process (through test/loader); resolves once it prints `ready` (or at once). */
export function runScript(path: string, env: Record<string, string>, waitFor?: RegExp): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, path], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const handle = Object.assign(child, { output: () => output });
  if (!waitFor) return Promise.resolve(handle);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path} did not get ready:\n${output}`)), CHILD_READY_DEADLINE_MS);
    const check = () => {
      if (!waitFor.test(output)) return;
      clearTimeout(timer);
      resolve(handle);
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path} exited with ${code}:\n${output}`));
    });
  });
}

export const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

/** Polls until `check` holds (real time; for child processes only). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
