import createClient, { type Client } from 'openapi-fetch';
import { tokenSource, type Auth } from './auth.ts';
import type { components, operations, paths } from './generated/openapi.ts';
import { sendingFetch, type RetryOptions } from './retry.ts';

export type { Auth, ClientCredentials } from './auth.ts';
export { TandemHttpError, TandemProblem, errorOf, unwrap, type Blocker, type Problem } from './errors.ts';
export { paginate } from './paging.ts';
export type { RetryOptions } from './retry.ts';
export { verifyWebhook, WebhookVerificationError, type TandemEvent } from './webhooks.ts';
export type { components, operations, paths };

/** Every schema of the API by name: `Schema<'Relationship'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];
/** The JSON body an operation takes, by operationId: `Body<'batchUpsertPeople'>`. */
export type Body<Id extends keyof operations> = operations[Id] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

export interface TandemClientOptions extends RetryOptions {
  /** Where Tandem runs, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** A bearer token (or a function that returns one), or an integration client's credentials. */
  auth: Auth;
  /** Send an Idempotency-Key with every POST that has none (default true), so a retried POST never acts twice. */
  idempotencyKeys?: boolean;
  fetch?: typeof fetch;
}

export type TandemClient = Client<paths>;

/**
 * A typed Tandem client: openapi-fetch over the generated `paths`, so every path, parameter,
 * body and answer is checked by TypeScript.
 *
 *   const tandem = createTandemClient({ baseUrl, auth: { clientId, clientSecret } });
 *   const relationship = await unwrap(tandem.GET('/v1/relationships/{id}', { params: { path: { id } } }));
 */
export function createTandemClient(options: TandemClientOptions): TandemClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const tokens = tokenSource(options.auth, options.baseUrl, fetchImpl);
  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: sendingFetch(fetchImpl, tokens, options) });
  if (options.idempotencyKeys !== false) {
    client.use({
      onRequest: ({ request }) => {
        if (request.method === 'POST' && !request.headers.has('idempotency-key')) request.headers.set('idempotency-key', crypto.randomUUID());
        return request;
      },
    });
  }
  return client;
}
