import type { App } from '../../src/app.ts';

// Responses are read loosely, as JSON from app.inject is: tests assert their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface GraphQLErrorBody {
  message: string;
  path?: (string | number)[];
  extensions: { code: string; [key: string]: Json };
}
export interface GraphQLResponse {
  status: number;
  contentType: string;
  headers: Record<string, unknown>;
  data: Json;
  errors: GraphQLErrorBody[] | undefined;
  body: Json;
}

/** A GraphQL client over app.inject for one caller (or none); `must` fails loudly on any error. */
export function gql(app: App, headers: Record<string, string> = {}) {
  const call = async (query: string, variables?: Record<string, unknown>, extra: Record<string, string> = {}): Promise<GraphQLResponse> => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { accept: 'application/graphql-response+json', ...headers, ...extra },
      payload: { query, ...(variables ? { variables } : {}) },
    });
    const body = response.json();
    return { status: response.statusCode, contentType: String(response.headers['content-type']), headers: response.headers, data: body.data, errors: body.errors, body };
  };
  const must = async (query: string, variables?: Record<string, unknown>): Promise<Json> => {
    const response = await call(query, variables);
    if (response.status !== 200 || response.errors) throw new Error(`GraphQL call failed (${response.status}): ${JSON.stringify(response.errors ?? response.body)}`);
    return response.data;
  };
  /** The one error of a refused call, for asserting its code and details. */
  const refusal = async (query: string, variables?: Record<string, unknown>): Promise<GraphQLErrorBody> => {
    const response = await call(query, variables);
    const [error, ...others] = response.errors ?? [];
    if (!error || others.length) throw new Error(`Expected exactly one error, got ${JSON.stringify(response.body)}`);
    return error;
  };
  return { call, must, refusal };
}
