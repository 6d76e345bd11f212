// Prints a signed token for the configured JWT_SECRET, and nothing else (run it with -s so npm
// prints no banner either: export TOKEN=$(npm run -s token -- --org acme)):
//   npm run -s token -- --org acme --role admin [--role manager] [--sub someone] [--hours 24]
import { parseArgs } from 'node:util';
import { signDevelopmentToken } from '../src/auth/tokens.ts';
import { TokenClaims } from '../src/auth/principal.ts';
import { loadConfig } from '../src/config.ts';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    role: { type: 'string', multiple: true },
    sub: { type: 'string' },
    hours: { type: 'string', default: '24' },
  },
});
const config = loadConfig();
if (config.jwt.publicKey) {
  console.error('JWT_PUBLIC_KEY is set: tokens are issued by your identity provider, not by this script.');
  process.exit(1);
}
const claims = TokenClaims.safeParse({ org: values.org, roles: values.role ?? ['admin'], sub: values.sub ?? `cli-${values.role?.[0] ?? 'admin'}` });
const hours = Number(values.hours);
const seconds = Math.round(hours * 3600);
if (!claims.success || !Number.isFinite(hours) || seconds <= 0 || seconds > config.tokens.maxLifetime) {
  console.error('usage: npm run -s token -- --org ORG --role admin|manager|member|integration [--sub ID] [--hours N]');
  if (seconds > config.tokens.maxLifetime) console.error(`  --hours: at most ${config.tokens.maxLifetime / 3600} (TOKEN_MAX_LIFETIME); a longer token would be refused`);
  if (!claims.success) for (const issue of claims.error.issues) console.error(`  --${issue.path.join('.')}: ${issue.message}`);
  process.exit(2);
}
console.log(signDevelopmentToken(config, claims.data, seconds));
