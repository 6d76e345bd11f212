import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CHILD_READY_DEADLINE_MS, RUN_TYPESCRIPT } from './helpers/typescript-child.ts';

// The real entry point, as `npm start` runs it: start, serve, shut down on SIGTERM, start again.
const root = new URL('..', import.meta.url).pathname;

function start(dataDir: string): Promise<{ child: ChildProcess; base: string; token: string; output: () => string }> {
  const child = spawn(process.execPath, [...RUN_TYPESCRIPT, 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'development', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in ${CHILD_READY_DEADLINE_MS / 1000} s:\n${output}`)), CHILD_READY_DEADLINE_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Tandem is ready \([\d.]+s\)\s+(http:\/\/\S+)/.exec(output);
      const token = /export TOKEN=(\S+)/.exec(output);
      if (ready && token) {
        clearTimeout(timer);
        resolve({ child, base: ready[1]!, token: token[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

t.test('npm start: ready with a token, data survives a graceful restart', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-server-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));

  const first = await start(dataDir);
  t.match(first.output(), /API reference\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
  const headers = { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' };
  t.equal((await fetch(`${first.base}/health`)).status, 200);
  t.equal((await fetch(`${first.base}/ready`)).status, 200);
  const created = await fetch(`${first.base}/v1/programmes`, { method: 'POST', headers, body: JSON.stringify({ name: 'Survives restarts' }) });
  t.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  t.equal(await stop(first.child), 0, 'SIGTERM shuts down cleanly');

  const second = await start(dataDir);
  t.teardown(() => stop(second.child));
  const read = await fetch(`${second.base}/v1/programmes/${id}`, { headers });
  t.equal(read.status, 200);
  t.match(await read.json(), { id, name: 'Survives restarts' });
});
