import type { App } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import type { Config } from '../../src/config.ts';
import type { Role } from '../../src/vocabulary.ts';

export interface ScimCaller {
  org: string;
  roles?: Role[];
  /** The integration client's scopes, space-separated; absent means a token without a scope claim. */
  scope?: string;
  sub?: string;
}

export const scimToken = (config: Config, caller: ScimCaller) =>
  signDevelopmentToken(config, {
    org: caller.org,
    roles: caller.roles ?? ['integration'],
    sub: caller.sub ?? 'scim-client',
    ...(caller.scope !== undefined ? { scope: caller.scope } : {}),
  });

/** Requests as an identity provider sends them: application/scim+json, a bearer token, paths under /scim/v2. */
export function scimClient(app: App, config: Config, caller: ScimCaller) {
  const token = scimToken(config, caller);
  return async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.inject({
      method,
      url: `/scim/v2${path}`,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/scim+json',
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json; charset=utf-8' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      // Untyped on purpose, like the REST fixtures' client: tests read the SCIM documents freely.
      body: response.body ? response.json() : undefined,
    };
  };
}
