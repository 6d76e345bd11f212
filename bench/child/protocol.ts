import type { CapturedStatement } from './capture.ts';
import type { MemoryNow } from './memory.ts';

/** What the child serves: the real app, or a bare fastify route answering a constant. */
export type ChildMode = 'app' | 'framework';

/** Settings passed to the child in its environment, as JSON in BENCH_CHILD. */
export interface ChildSettings {
  mode: ChildMode;
  databaseUrl: string;
  pool: number;
  jwtSecret: string;
  webhooks: boolean;
}

export type Command =
  | { type: 'memory' }
  | { type: 'cpu' }
  | { type: 'reset-peak' }
  | { type: 'capture-start' }
  | { type: 'capture-stop' }
  | { type: 'profile-start' }
  | { type: 'profile-stop'; path: string }
  /** The framework ceiling answers these bytes from now on: the scenario's own answer, captured from the app. */
  | { type: 'answer-with'; status: number; body: string }
  /** The webhook delivery ceiling: signed POSTs of these bodies to the receiver from a bare loop. */
  | { type: 'deliver'; urls: string[]; bodies: string[]; concurrency: number }
  | { type: 'stop' };

export type Reply =
  | { type: 'ready'; port: number }
  | { type: 'failed'; error: string }
  | ({ type: 'memory' } & MemoryNow)
  /** process.cpuUsage() of the child: user and system CPU time since it started, µs. */
  | { type: 'cpu'; user: number; system: number }
  | { type: 'reset-peak'; ok: boolean }
  | { type: 'captured'; statements: CapturedStatement[] }
  | { type: 'delivered'; deliveries: number; failed: number; seconds: number }
  | { type: 'done' };

export interface Envelope<T> {
  id: number;
  message: T;
}
