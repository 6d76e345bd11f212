import type { FastifyRequest } from 'fastify';

/**
 * Test-only fault hooks: the fault tests (test/faults/) crash the server at the worst moments to
 * prove that retries stay safe. Never set in production (server.ts refuses TANDEM_FAULT there).
 */
export interface Faults {
  /** Called when a keyed request's work is done and its transaction not yet committed. */
  beforeCommit?(request: FastifyRequest): void | Promise<void>;
  /** Called after a keyed request's transaction committed, before its response is sent. */
  afterCommit?(request: FastifyRequest): void | Promise<void>;
}

/**
 * TANDEM_FAULT=after-commit[:probability] — SIGKILL this process after a keyed write committed and
 * before it answered (every time, or with the given probability).
 */
export function faultsFromEnvironment(spec: string | undefined): Faults {
  if (!spec) return {};
  const match = /^after-commit(?::(0(?:\.\d+)?|1(?:\.0+)?))?$/.exec(spec);
  if (!match) throw new Error(`TANDEM_FAULT must be after-commit or after-commit:<probability 0..1>, not ${spec}`);
  const probability = match[1] === undefined ? 1 : Number(match[1]);
  return {
    afterCommit: () => {
      if (Math.random() < probability) process.kill(process.pid, 'SIGKILL');
    },
  };
}
