/** How the client gets the bearer token it sends: a fixed or provided token, or an integration client's credentials. */
export type Auth = { token: string | (() => string | Promise<string>) } | ClientCredentials;

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** Narrow the token to some of the client's scopes (space-separated). */
  scope?: string;
}

export interface TokenSource {
  /** The token to send now (cached until shortly before it expires). */
  token(): Promise<string>;
  /** Forget the cached token: the next request fetches a new one (after a 401). */
  invalidate(): void;
  /** Whether a fresh token could fix a 401 (true for client credentials). */
  readonly refreshable: boolean;
}

// Refresh a little before expiry so a request never leaves with a token about to die in flight.
const EARLY_SECONDS = 30;

export function tokenSource(auth: Auth, baseUrl: string, fetchImpl: typeof fetch, now: () => number = Date.now): TokenSource {
  if ('token' in auth) {
    const { token } = auth;
    return { token: async () => (typeof token === 'string' ? token : token()), invalidate: () => {}, refreshable: typeof token === 'function' };
  }
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async () => {
    const response = await fetchImpl(new URL('/oauth/token', baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${btoa(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`)}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) }),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !body.access_token) throw new Error(`Tandem refused the client credentials: ${body.error ?? response.status} ${body.error_description ?? ''}`.trim());
    cached = { token: body.access_token, expiresAt: now() + ((body.expires_in ?? 600) - EARLY_SECONDS) * 1000 };
    return body.access_token;
  };
  return {
    refreshable: true,
    invalidate: () => {
      cached = undefined;
    },
    token: async () => {
      if (cached && cached.expiresAt > now()) return cached.token;
      // Concurrent requests share one token request.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
