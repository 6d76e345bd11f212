import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  webhookId: string;
  path: string;
  /** Milliseconds from the event's creation (the body's timestamp, the outbox created_at) to its arrival here. */
  latency: number;
  at: number;
}

/** A local webhook receiver on 127.0.0.1: answers 204 at once and notes when each delivery arrived. */
export async function startReceiver() {
  let receipts: Receipt[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const now = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { timestamp?: string };
        const created = body.timestamp ? Date.parse(body.timestamp) : NaN;
        receipts.push({ webhookId: String(request.headers['webhook-id'] ?? ''), path: request.url ?? '', latency: now - created, at: now });
      } catch {
        // Not a webhook (the receiver's own ceiling run posts plain bodies): just answer.
      }
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Receipts since the last take, and starts a new list. */
    take(): Receipt[] {
      const taken = receipts;
      receipts = [];
      return taken;
    },
    count: () => receipts.length,
    receipts: () => receipts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
