import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export { WebhookVerificationError };

/** The body of every Tandem webhook (Standard Webhooks). `GET /v1/event-types` has each type's schema. */
export interface TandemEvent<D = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: D;
}

type Headers = Record<string, string | string[] | undefined> | globalThis.Headers;

/**
 * Verifies a webhook request with the endpoint's secret (`whsec_…`) and returns its event.
 * Throws WebhookVerificationError when the signature or timestamp (±5 minutes) does not hold.
 * Pass the raw body exactly as received: a re-serialised JSON body no longer matches.
 * `id` is `webhook-id`, the same on every retry: de-duplicate on it.
 */
export function verifyWebhook<D = Record<string, unknown>>(secret: string, rawBody: string | Buffer, headers: Headers): { id: string; event: TandemEvent<D> } {
  const plain: Record<string, string> = {};
  const entries = headers instanceof globalThis.Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) if (value !== undefined) plain[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  const event = new Webhook(secret).verify(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'), plain) as TandemEvent<D>;
  return { id: plain['webhook-id']!, event };
}
