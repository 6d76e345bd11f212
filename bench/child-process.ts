import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildSettings, Command, Envelope, Reply } from './child/protocol.ts';

export interface Child {
  pid: number;
  port: number;
  url: string;
  call<T extends Reply['type']>(command: Command, expect: T): Promise<Extract<Reply, { type: T }>>;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./child/main.ts', import.meta.url));

/** Forks bench/child/main.ts (through tsx, like `npm start`) and waits until it listens. */
export async function startChild(settings: ChildSettings): Promise<Child> {
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', 'tsx'],
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
