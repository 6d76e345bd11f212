/** One measured run: of the app, of a ceiling, or of the webhook receiver. */
export interface Measurement {
  /** Completed requests (or iterations) per second, successful ones only. */
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  requests: number;
  /** Failed requests: connection errors, timeouts and non-2xx answers. */
  errors: number;
  seconds: number;
  /** Peak RSS of the server process during the run, bytes (app and framework runs only). */
  peakRss?: number;
  note?: string;
}

/** Exact percentiles of a list of latencies (ms). */
export function percentiles(latencies: number[]): { p50: number; p99: number } {
  if (latencies.length === 0) return { p50: NaN, p99: NaN };
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { p50: at(0.5), p99: at(0.99) };
}
