import { randomBytes } from 'node:crypto';
import { createHttpSender } from '../../src/webhooks/http-sender.ts';
import { webhookHeaders } from '../../src/webhooks/signing.ts';

/**
 * The webhook delivery ceiling: the dispatcher's own sender and signature, in a bare loop keeping
 * `concurrency` POSTs in flight, with no database, claims or outcomes. Every body goes to every
 * URL, as the fan-out sends each event to each endpoint.
 */
export async function deliverAll(options: { urls: string[]; bodies: string[]; concurrency: number }) {
  const send = createHttpSender({ allowPrivateUrls: true });
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const work = options.bodies.flatMap((body, n) => options.urls.map((url) => ({ url, body, id: `ceiling-${n}` })));
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, work.length) }, async () => {
      while (next < work.length) {
        const { url, body, id } = work[next++]!;
        const headers = webhookHeaders({ id, timestamp: Math.floor(Date.now() / 1000), body }, [secret]);
        try {
          const response = await send({ url, headers, body, signal: AbortSignal.timeout(15_000) });
          if (response.status < 200 || response.status >= 300) failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  return { deliveries: work.length - failed, failed, seconds: (performance.now() - started) / 1000 };
}
