import { percentiles, type Measurement } from './result.ts';

/**
 * The database ceiling's load: `concurrency` workers, each running one request's statements
 * after another, for `seconds`; like autocannon's connections, a worker waits for its answer.
 */
export async function dbLoad(iteration: () => Promise<void>, options: { concurrency: number; seconds: number }): Promise<Measurement> {
  await loop(iteration, options.concurrency, Math.max(1, Math.min(3, Math.round(options.seconds / 3))) * 1000, []);
  const latencies: number[] = [];
  const { errors, elapsed } = await loop(iteration, options.concurrency, options.seconds * 1000, latencies);
  const seconds = elapsed / 1000;
  return { rps: latencies.length / seconds, ...percentiles(latencies), requests: latencies.length + errors.count, errors: errors.count, seconds, ...(errors.first ? { note: errors.first } : {}) };
}

async function loop(iteration: () => Promise<void>, concurrency: number, ms: number, latencies: number[]) {
  const started = performance.now();
  const deadline = started + ms;
  const errors = { count: 0, first: '' };
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await iteration();
        latencies.push(performance.now() - t);
      } catch (error) {
        errors.count++;
        errors.first ||= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { errors, elapsed: performance.now() - started };
}
