import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ProblemSchema } from '../route-kit.ts';
import { serializerCompiler } from '../serialize.ts';
import type { AuthServices } from '../../domain/services.ts';
import { OAuthError, TokenRequest, TokenResponse } from '../../domain/schemas/client.ts';

const TOKEN_SECONDS = 600;

type OAuthErrorCode = z.infer<typeof OAuthError>['error'];

function oauthError(reply: FastifyReply, status: number, error: OAuthErrorCode, description: string) {
  reply.code(status).header('cache-control', 'no-store');
  if (status === 401) reply.header('www-authenticate', 'Basic realm="tandem"');
  return { error, error_description: description };
}

/**
 * Client basic auth (RFC 6749 §2.3.1): client_id:client_secret, each form-urlencoded. A Basic
 * credential that does not decode (no colon, bad %-encoding) is `malformed`: the client's error.
 */
function basicCredentials(header: string | undefined): { id: string; secret: string } | 'malformed' | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match) return /^Basic(\s|$)/i.test(header ?? '') ? 'malformed' : null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
  } catch {
    return 'malformed';
  }
}

/** POST /oauth/token — grant_type=client_credentials (RFC 6749 §4.4) for integration clients. */
export async function oauthRoutes(fastify: FastifyInstance, { auth }: { auth: AuthServices }) {
  await fastify.register(fastifyFormbody);
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  fastify.withTypeProvider<ZodTypeProvider>().post(
    '/oauth/token',
    {
      schema: {
        operationId: 'issueToken',
        summary: 'Exchange integration client credentials for a short-lived bearer token',
        tags: ['oauth'],
        security: [],
        body: TokenRequest,
        response: { 200: TokenResponse, 400: OAuthError, 401: OAuthError, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.grant_type !== 'client_credentials') return oauthError(reply, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      const basic = basicCredentials(request.headers.authorization);
      if (basic === 'malformed') return oauthError(reply, 401, 'invalid_client', 'The HTTP Basic credentials do not decode: base64 of client_id:client_secret, each form-urlencoded.');
      const id = basic?.id ?? body.client_id;
      const secret = basic?.secret ?? body.client_secret;
      if (!id || !secret) return oauthError(reply, 401, 'invalid_client', 'Send client_id and client_secret (in the body or as HTTP Basic).');
      const outcome = await auth.exchangeClientCredentials({ clientId: id, clientSecret: secret, ...(body.scope !== undefined ? { scope: body.scope } : {}) });
      if (!outcome.ok) return oauthError(reply, outcome.error === 'invalid_client' ? 401 : 400, outcome.error, outcome.description);
      reply.header('cache-control', 'no-store');
      return {
        access_token: fastify.jwt.sign(outcome.claims, { expiresIn: TOKEN_SECONDS }),
        token_type: 'Bearer' as const,
        expires_in: TOKEN_SECONDS,
        scope: outcome.claims.scope,
      };
    },
  );
}
