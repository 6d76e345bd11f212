import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createSigner } from 'fast-jwt';
import fc from 'fast-check';
import t from 'tap';
import { tokenTimesProblem } from '../../src/auth/token-policy.ts';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

const policy = { maxLifetime: 3600, clockSkew: 60 };

t.test('the policy: exp required, a bounded lifetime, nothing issued or starting in the future beyond the skew', async () => {
  const now = 1_800_000_000;
  const cases: [string, Record<string, unknown>, RegExp | null][] = [
    ['a ten-minute token', { iat: now, exp: now + 600 }, null],
    ['no exp', { iat: now }, /must carry exp/],
    ['exp as text', { iat: now, exp: String(now + 600) }, /must carry exp/],
    ['expired a second ago', { iat: now - 600, exp: now - 1 }, /expired/],
    ['expiring this second', { iat: now - 600, exp: now }, /expired/],
    ['iat an hour ahead', { iat: now + 3600, exp: now + 3700 }, /issued in the future/],
    ['iat within the skew', { iat: now + 59, exp: now + 600 }, null],
    ['iat just past the skew', { iat: now + 61, exp: now + 600 }, /issued in the future/],
    ['nbf in an hour', { iat: now, nbf: now + 3600, exp: now + 3600 }, /not valid yet/],
    ['nbf within the skew', { iat: now, nbf: now + 30, exp: now + 600 }, null],
    ['exactly the longest lifetime', { iat: now, exp: now + 3600 }, null],
    ['a second longer', { iat: now, exp: now + 3601 }, /at most 3600/],
    ['no iat, lifetime counted from now', { exp: now + 3601 }, /at most 3600/],
    ['no iat, short', { exp: now + 60 }, null],
    ['issued long ago, lifetime counted from iat', { iat: now - 7200, exp: now + 60 }, /at most 3600/],
    ['iat as text', { iat: 'yesterday', exp: now + 60 }, /iat/],
  ];
  for (const [name, claims, expected] of cases) {
    const problem = tokenTimesProblem(claims, now, policy);
    if (expected) t.match(problem, expected, name);
    else t.equal(problem, null, name);
  }
});

t.test('property: an accepted token is unexpired, at most maxLifetime long, and not from the future beyond the skew', async () => {
  const now = 1_800_000_000;
  const time = fc.integer({ min: now - 10_000, max: now + 10_000 });
  fc.assert(
    fc.property(fc.option(time, { nil: undefined }), fc.option(time, { nil: undefined }), fc.option(time, { nil: undefined }), (exp, iat, nbf) => {
      const claims = { ...(exp === undefined ? {} : { exp }), ...(iat === undefined ? {} : { iat }), ...(nbf === undefined ? {} : { nbf }) };
      const accepted = tokenTimesProblem(claims, now, policy) === null;
      const expected =
        exp !== undefined &&
        exp > now &&
        (iat === undefined || iat <= now + policy.clockSkew) &&
        (nbf === undefined || nbf <= now + policy.clockSkew) &&
        exp - Math.min(iat ?? now, now) <= policy.maxLifetime;
      return accepted === expected;
    }),
    { numRuns: 2000 },
  );
});

t.test('over HTTP: tokens without exp, from the future or too long-lived are 401; the configured limits apply', async (t) => {
  const { app, config } = await buildTestApp(t, { config: { tokens: { maxLifetime: 2 * 3600, clockSkew: 30 } } });
  const org = uniqueOrg('tokens');
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: Record<string, unknown>) => createSigner({ key: config.jwt.secret, noTimestamp: !('iat' in claims) })({ sub: 'someone', org, roles: ['admin'], ...claims }) as string;
  const call = (token: string) => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
  const cases: [string, Record<string, unknown>, number, RegExp?][] = [
    ['an hour long', { iat: now, exp: now + 3600 }, 200],
    ['no exp (it would never expire)', { iat: now }, 401, /must carry exp/],
    ['no exp and no iat', {}, 401, /must carry exp/],
    ['iat an hour in the future', { iat: now + 3600, exp: now + 5400 }, 401, /issued in the future/],
    ['iat 20 s in the future (within TOKEN_CLOCK_SKEW)', { iat: now + 20, exp: now + 600 }, 200],
    ['iat 120 s in the future (beyond TOKEN_CLOCK_SKEW)', { iat: now + 120, exp: now + 600 }, 401, /issued in the future/],
    ['nbf 20 s ahead (within the skew)', { iat: now, nbf: now + 20, exp: now + 600 }, 200],
    ['nbf an hour ahead', { iat: now, nbf: now + 3600, exp: now + 5400 }, 401, /not valid yet/],
    ['three hours long (TOKEN_MAX_LIFETIME is two)', { iat: now, exp: now + 3 * 3600 }, 401, /TOKEN_MAX_LIFETIME/],
    ['expired', { iat: now - 600, exp: now - 1 }, 401, /expired/],
  ];
  for (const [name, claims, status, detail] of cases) {
    const res = await call(sign(claims));
    t.equal(res.statusCode, status, name);
    if (detail) {
      t.match(res.json(), { code: 'UNAUTHENTICATED', detail }, `${name}: says why`);
      t.match(res.headers['www-authenticate'], /invalid_token/);
    }
  }
  const graphql = await app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${sign({ iat: now })}` }, payload: { query: '{ viewer { org } }' } });
  t.equal(graphql.statusCode, 401, 'GraphQL applies the same policy');
});

t.test('TOKEN_MAX_LIFETIME and TOKEN_CLOCK_SKEW are read as durations', async (t) => {
  t.same(loadConfig({}).tokens, { maxLifetime: 86_400, clockSkew: 60 }, 'defaults: a day, a minute');
  t.same(loadConfig({ TOKEN_MAX_LIFETIME: '15m', TOKEN_CLOCK_SKEW: '5s' }).tokens, { maxLifetime: 900, clockSkew: 5 });
  t.same(loadConfig({ TOKEN_MAX_LIFETIME: '7d', TOKEN_CLOCK_SKEW: '0' }).tokens, { maxLifetime: 604_800, clockSkew: 0 });
  t.same(loadConfig({ TOKEN_MAX_LIFETIME: '3600' }).tokens.maxLifetime, 3600);
  for (const bad of ['forever', '-1', '1w', '1.5h']) t.throws(() => loadConfig({ TOKEN_MAX_LIFETIME: bad }), /TOKEN_MAX_LIFETIME: must be a duration/, bad);
});

t.test('npm run -s token prints the token and nothing else, so $(…) captures a working token', async (t) => {
  const run = promisify(execFile);
  const env = { ...process.env, JWT_SECRET: undefined, JWT_PUBLIC_KEY: undefined, NODE_ENV: 'test' };
  const { stdout } = await run('npm', ['run', '-s', 'token', '--', '--org', 'acme', '--role', 'manager'], { env });
  t.match(stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'one line: the JWT');
  const payload = JSON.parse(Buffer.from(stdout.split('.')[1]!, 'base64url').toString()) as Record<string, number>;
  t.match(payload, { org: 'acme', roles: ['manager'] });
  t.equal(payload.exp! - payload.iat!, 24 * 3600, 'valid for the default 24 hours');
  const tooLong = await run('npm', ['run', '-s', 'token', '--', '--org', 'acme', '--hours', '48'], { env }).catch((error: { code: number; stderr: string; stdout: string }) => error);
  t.equal((tooLong as { code?: number }).code, 2, 'a token the service would refuse is not made');
  t.match((tooLong as { stderr: string }).stderr, /TOKEN_MAX_LIFETIME/);
  t.equal((tooLong as { stdout: string }).stdout, '');
});
