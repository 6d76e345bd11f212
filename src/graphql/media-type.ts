import type { FastifyReply, FastifyRequest } from 'fastify';

export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/** The quality a media type gets in an Accept header (0 when absent or refused). */
function quality(accept: string, mediaType: string): number {
  let best = 0;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = params.find((p) => p.startsWith('q='));
    best = Math.max(best, q ? Number(q.slice(2)) || 0 : 1);
  }
  return best;
}

/** True when the client accepts application/graphql-response+json at least as well as application/json. */
export function prefersGraphQLResponse(accept: string | undefined): boolean {
  if (!accept) return false; // no Accept header: answer application/json, as legacy clients expect
  const graphql = quality(accept, GRAPHQL_RESPONSE_TYPE);
  return graphql > 0 && graphql >= quality(accept, 'application/json');
}

/**
 * onSend of the GraphQL routes (GraphQL over HTTP): the response media type follows Accept, and a
 * 405 (a mutation sent with GET) says which method to use.
 */
export async function negotiateResponseType(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const current = String(reply.getHeader('content-type') ?? '');
  if (current.startsWith('application/json') && prefersGraphQLResponse(request.headers.accept)) {
    reply.header('content-type', `${GRAPHQL_RESPONSE_TYPE}; charset=utf-8`);
  }
  if (reply.statusCode === 405) reply.header('allow', 'POST');
  return payload;
}
