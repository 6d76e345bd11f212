import autocannon from 'autocannon';
import type { Measurement } from './result.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}
/** Gives the next request to send; called once per request, so ids can vary. */
export type NextRequest = () => HttpRequest;

export interface HttpLoadOptions {
  url: string;
  connections: number;
  seconds: number;
  next: NextRequest;
  headers: Record<string, string>;
  /** Requests per second across all connections; unset means as fast as the server answers. */
  overallRate?: number;
  /** Seconds of warm-up before the measured run; a third of `seconds` (1–3) unless given. */
  warmupSeconds?: number;
  /** Called (and awaited) between the warm-up and the measured run. */
  onMeasureStart?: () => void | Promise<void>;
}

function run(options: HttpLoadOptions, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    // Bulk requests queue behind each other for many seconds; count them rather than time them out.
    timeout: 60,
    headers: options.headers,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        setupRequest: (request) => {
          const next = options.next();
          return { ...request, method: next.method, path: next.path, ...(next.body === undefined ? {} : { body: next.body }) };
        },
      },
    ],
  });
}

/** Autocannon against one server: a short warm-up (JIT, pools, caches), then the measured run. */
export async function httpLoad(options: HttpLoadOptions): Promise<Measurement> {
  await run(options, options.warmupSeconds ?? Math.max(1, Math.min(3, Math.round(options.seconds / 3))));
  await options.onMeasureStart?.();
  const result = await run(options, options.seconds);
  const ok = result['2xx'];
  return {
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.non2xx,
    seconds: result.duration,
    ...(ok === 0 ? { note: `no successful answer within the ${options.seconds} s window: each request took longer than that, or failed` } : {}),
  };
}
