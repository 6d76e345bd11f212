/** One POST to a webhook endpoint. The dispatcher injects the sender so tests can stand in for the network. */
export interface OutboundRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborts the request (the 15 s timeout, or the dispatcher stopping). */
  signal: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  retryAfter: string | null;
  /** At most the first 16 KiB of the body. */
  body: string;
}

/** Resolves with any HTTP answer (redirects are not followed); rejects when no answer came. */
export type Sender = (request: OutboundRequest) => Promise<OutboundResponse>;
