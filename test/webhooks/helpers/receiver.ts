import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** The message as the reference verifier returned it, or null when verification failed. */
  message: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  verifyError: string | null;
  /** The W3C trace context the sender passed on, if any. */
  traceparent: string | null;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Resolve to let the answer go; the receiver holds the request open until then. */
  hold?: Promise<void>;
}

export type Behaviour = (received: Received, count: number) => Reply;

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Deliveries per webhook-id that were in flight at the same moment, at most. */
  maxConcurrentPerId: () => number;
  behave(behaviour: Behaviour): void;
  /** Secrets the receiver verifies with; a delivery verifies when any of them does. */
  secrets: string[];
  /** Distinct webhook-ids, in order of first arrival, of verified deliveries. */
  uniqueVerified(): Received[];
  /** Resolves when `predicate` holds for the received list (checked on each arrival). */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/**
 * The reference verifier checks the timestamp against Date.now() (5 minutes' tolerance). Tests
 * move time with an injected clock, so the receiver's "now" is that clock during the
 * (synchronous) verify call; everything else the library does is untouched.
 */
function verifyAt(now: () => Date, secret: string, body: string, headers: Record<string, string>) {
  const realNow = Date.now;
  Date.now = () => now().getTime();
  try {
    return new Webhook(secret).verify(body, headers) as Received['message'];
  } finally {
    Date.now = realNow;
  }
}

/** A webhook receiver on 127.0.0.1 that verifies every delivery with the standardwebhooks package. */
export async function startReceiver(options: { secrets?: string[]; now?: () => Date; port?: number; behaviour?: Behaviour } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const inFlight = new Map<string, number>();
  let maxConcurrent = 0;
  let behaviour: Behaviour = options.behaviour ?? (() => ({ status: 204 }));
  const waiters = new Set<() => void>();
  const now = options.now ?? (() => new Date());

  const state = {
    secrets: options.secrets ?? [],
  };

  const server: Server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    let message: Received['message'] = null;
    let verifyError: string | null = state.secrets.length ? null : 'no secret configured';
    for (const secret of state.secrets) {
      try {
        message = verifyAt(now, secret, body, headers);
        verifyError = null;
        break;
      } catch (error) {
        verifyError = (error as Error).message;
      }
    }
    const entry: Received = {
      id: headers['webhook-id'],
      timestamp: Number(headers['webhook-timestamp']),
      signature: headers['webhook-signature'],
      body,
      message,
      verifyError,
      traceparent: typeof request.headers.traceparent === 'string' ? request.headers.traceparent : null,
    };
    received.push(entry);
    const concurrent = (inFlight.get(entry.id) ?? 0) + 1;
    inFlight.set(entry.id, concurrent);
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    const reply = behaviour(entry, received.length);
    for (const wake of waiters) wake();
    try {
      if (reply.hold) await reply.hold;
    } finally {
      inFlight.set(entry.id, (inFlight.get(entry.id) ?? 1) - 1);
    }
    if (response.destroyed) return;
    response.writeHead(reply.status, reply.headers ?? {});
    response.end(reply.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/hooks/tandem`,
    port,
    received,
    get secrets() {
      return state.secrets;
    },
    set secrets(value: string[]) {
      state.secrets = value;
    },
    maxConcurrentPerId: () => maxConcurrent,
    behave(next) {
      behaviour = next;
    },
    uniqueVerified() {
      const seen = new Map<string, Received>();
      for (const entry of received) if (entry.message && !seen.has(entry.id)) seen.set(entry.id, entry);
      return [...seen.values()];
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        if (predicate(received)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: condition not met within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(received)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (connection refused), for a receiver that is down. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
