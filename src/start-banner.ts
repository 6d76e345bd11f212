import { signDevelopmentToken } from './auth/tokens.ts';
import type { Config } from './config.ts';

/**
 * What `npm start` prints outside production: where each way in is, and (with the development
 * secret) a token for the demo organisation, so the first call works at once.
 */
export function startBanner(config: Config, base: string, seconds: string): string {
  const lines = [
    '',
    `  Tandem is ready (${seconds}s)   ${base}`,
    `  REST API               ${base}/v1`,
    `  API reference          ${base}/docs`,
    `  OpenAPI document       ${base}/openapi.json`,
    `  GraphQL                ${base}/graphql  (subscriptions: ${base.replace(/^http/, 'ws')}/graphql)`,
    `  GraphiQL               ${base}/graphiql`,
  ];
  if (config.jwt.usingDevelopmentSecret) {
    const token = signDevelopmentToken(config, { org: config.demoOrg, roles: ['admin'], sub: 'demo-admin' });
    lines.push(
      `  Development token (admin of organisation "${config.demoOrg}", valid 24 h; in GraphiQL's Headers: {"authorization": "Bearer …"}):`,
      `    export TOKEN=${token}`,
      `    curl -H "Authorization: Bearer $TOKEN" ${base}/v1/me`,
    );
  }
  return lines.join('\n') + '\n';
}
