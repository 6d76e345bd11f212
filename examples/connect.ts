// How every example reaches Tandem: the URL and credentials from the environment.
//   TANDEM_URL                                    default http://127.0.0.1:3000
//   TANDEM_TOKEN                                  a bearer token (npm run token -- --org demo --role admin)
//   TANDEM_CLIENT_ID, TANDEM_CLIENT_SECRET        or an integration client's credentials (POST /v1/clients)
import { createTandemClient, type Auth } from '@tandem/client';

export const baseUrl = process.env.TANDEM_URL ?? 'http://127.0.0.1:3000';

export function auth(): Auth {
  const { TANDEM_TOKEN, TANDEM_CLIENT_ID, TANDEM_CLIENT_SECRET } = process.env;
  if (TANDEM_CLIENT_ID && TANDEM_CLIENT_SECRET) return { clientId: TANDEM_CLIENT_ID, clientSecret: TANDEM_CLIENT_SECRET };
  if (TANDEM_TOKEN) return { token: TANDEM_TOKEN };
  console.error('Set TANDEM_TOKEN (npm run token -- --org demo --role admin), or TANDEM_CLIENT_ID and TANDEM_CLIENT_SECRET.');
  process.exit(2);
}

export const connect = () => createTandemClient({ baseUrl, auth: auth() });
