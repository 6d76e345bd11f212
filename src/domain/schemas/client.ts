import { z } from 'zod';
import { SCOPES } from '../permissions.ts';
import { Id, PageQuery, Timestamp, pageOf, shortText } from './common.ts';

export const CreateClient = z
  .strictObject({
    name: shortText(200).meta({ example: 'Workday sync' }),
    scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length).meta({ description: 'What the client may do; its tokens carry exactly these.' }),
  })
  .meta({ id: 'CreateClient' });
export type CreateClient = z.infer<typeof CreateClient>;

export const IntegrationClient = z
  .object({ id: Id, name: z.string(), scopes: z.array(z.enum(SCOPES)), createdBy: z.string(), createdAt: Timestamp, revokedAt: Timestamp.nullable() })
  .meta({ id: 'IntegrationClient' });
export type IntegrationClient = z.infer<typeof IntegrationClient>;

export const CreatedClient = IntegrationClient.extend({
  clientSecret: z.string().meta({ description: 'Shown once: store it now. Exchange it at POST /oauth/token.' }),
}).meta({ id: 'CreatedClient' });

export const ClientPage = pageOf(IntegrationClient, 'IntegrationClient');
export const ListClientsQuery = PageQuery;

/** RFC 6749 §4.4 token request (form-encoded or JSON). */
export const TokenRequest = z
  .object({
    grant_type: z.string().max(100),
    client_id: z.string().max(100).optional(),
    client_secret: z.string().max(200).optional(),
    scope: z.string().max(1000).optional(),
  })
  .meta({ id: 'TokenRequest' });

export const TokenResponse = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() })
  .meta({ id: 'TokenResponse' });

export const OAuthError = z
  .object({ error: z.enum(['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope']), error_description: z.string() })
  .meta({ id: 'OAuthError', description: 'RFC 6749 §5.2 error response.' });
