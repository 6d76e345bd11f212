import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// A local identity provider: its JWKS served on 127.0.0.1, keys made here.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = (key: typeof rsa.publicKey, kid: string, alg: string) => ({ ...key.export({ format: "jwk" }), kid, alg, use: "sig" });
const jwks = { keys: [jwk(rsa.publicKey, 'rsa-1', 'RS256'), jwk(ec.publicKey, 'ec-1', 'ES256')] };
let jwksRequests = 0;
const idp = createServer((request, response) => {
  jwksRequests++;
  if (request.url === '/keys/jwks.json') return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => idp.close(() => resolve())));
const issuer = 'https://idp.example.com/';
const audience = 'tandem-api';
const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/keys/jwks.json`;

const { app } = await buildTestApp(t, {
  config: { idp: { jwksUrl, issuer, audience, claims: { org: 'tenant', roles: 'tandem_roles', sub: 'sub' } } },
});

const org = uniqueOrg('idp');
const claims = { sub: 'alice@example.com', tenant: org, tandem_roles: 'manager', iss: issuer, aud: audience };
const sign = (options: Record<string, unknown>, payload: Record<string, unknown> = claims) =>
  createSigner({ expiresIn: 600_000, ...options } as never)(payload) as string;
const call = (token: string) => app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
const rsaPem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const ecPem = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

t.test('tokens of the identity provider are verified through its JWKS, claims mapped by configuration', async (t) => {
  for (const [name, token] of [
    ['RS256', sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1' })],
    ['ES256', sign({ key: ecPem, algorithm: 'ES256', kid: 'ec-1' })],
  ] as const) {
    const res = await call(token);
    t.equal(res.statusCode, 200, name);
    t.same(res.json(), { sub: 'alice@example.com', org, roles: ['manager'] });
  }
  t.ok(jwksRequests >= 1, 'the JWKS was fetched');
});

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const attacks: [string, () => string][] = [
  ['alg: none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`],
  ['HS256 signed with the provider public key (algorithm confusion)', () => sign({ key: rsa.publicKey.export({ format: "pem", type: "spki" }), algorithm: 'HS256', kid: 'rsa-1' })],
  ['expired', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1', expiresIn: undefined }, { ...claims, exp: Math.floor(Date.now() / 1000) - 60 })],
  ['not yet valid', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1', notBefore: 3_600_000 })],
  ['wrong audience', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1' }, { ...claims, aud: 'someone-else' })],
  ['unknown kid', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-9' })],
  ['known kid, key of a stranger', () => sign({ key: stranger.privateKey.export({ format: 'pem', type: 'pkcs8' }), algorithm: 'RS256', kid: 'rsa-1' })],
  ['another issuer', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1' }, { ...claims, iss: 'https://evil.example.net/' })],
  ['missing the organisation claim', () => sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1' }, { ...claims, tenant: undefined })],
  ['tampered payload', () => {
    const [header, , signature] = sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1' }).split('.');
    return `${header}.${base64url({ ...claims, tandem_roles: 'admin', exp: Math.floor(Date.now() / 1000) + 600 })}.${signature}`;
  }],
  ['own HS256 token signed with a guessed secret', () => sign({ key: 'x'.repeat(48), algorithm: 'HS256' }, { sub: 'x', org, roles: ['admin'] })],
];

for (const [name, token] of attacks) {
  t.test(`refused: ${name}`, async (t) => {
    const res = await call(token());
    t.equal(res.statusCode, 401);
    t.match(res.headers['content-type'], /problem\+json/);
    t.match(res.headers['www-authenticate'], /invalid_token/);
  });
}

// Verified tokens are remembered (by their exact text) to spare the signature check per request;
// that must never outlive the token's own exp, nor let an altered copy through.
t.test('a remembered token stops working at its exp, and a one-character change is verified afresh', async (t) => {
  const expiresAt = Math.floor(Date.now() / 1000) + 2;
  const token = sign({ key: rsaPem, algorithm: 'RS256', kid: 'rsa-1', expiresIn: undefined }, { ...claims, exp: expiresAt });
  t.equal((await call(token)).statusCode, 200, 'valid now');
  t.equal((await call(token)).statusCode, 200, 'and again, from memory');
  const [header, payload, signature] = token.split('.');
  const flipped = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
  t.equal((await call(flipped)).statusCode, 401, 'a changed signature is not the remembered token');
  await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
  const late = await call(token);
  t.equal(late.statusCode, 401, 'refused once exp has passed, though it was remembered');
  t.match(late.json(), { code: 'UNAUTHENTICATED' });
});
