import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { scimToken } from '../scim/scim-client.ts';

// JSON bodies are UTF-8 (RFC 8259 §8.1). Bytes that are not UTF-8 are refused with a 400 instead of
// being stored as U+FFFD, and a declared charset other than UTF-8 with a 415 instead of being ignored,
// on every transport that reads JSON: REST, GraphQL and SCIM. Nothing is stored either way.
const { app, config, auth } = await buildTestApp(t);

// "Ada" with a lone 0xff byte in the middle: not UTF-8 (latin1 ÿ).
const notUtf8 = (json: string) => Buffer.concat([Buffer.from(json.slice(0, -2)), Buffer.from([0xff]), Buffer.from(json.slice(-2))]);
const personBody = (name: string) => JSON.stringify({ name, email: `${Math.random().toString(36).slice(2, 8)}@example.com` });

t.test('REST: a body that is not UTF-8 is a 400 problem naming the body; nothing is stored', async (t) => {
  const headers = auth({ org: uniqueOrg('utf8') });
  const response = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...headers, 'content-type': 'application/json' }, payload: notUtf8(personBody('Ada"')) });
  t.equal(response.statusCode, 400);
  t.match(response.headers['content-type'], 'application/problem+json');
  t.match(response.json(), { type: '/problems/validation-failed', code: 'BAD_USER_INPUT', errors: [{ path: 'body', message: /UTF-8/ }] });
  const list = await app.inject({ method: 'GET', url: '/v1/people', headers });
  t.same(list.json().items, [], 'no person was created');
});

t.test('REST: UTF-8 bodies pass, with or without charset=utf-8, and keep their characters', async (t) => {
  const headers = auth({ org: uniqueOrg('utf8-ok') });
  for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; charset=utf8']) {
    const response = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...headers, 'content-type': contentType }, payload: Buffer.from(personBody('Zoë Ångström 李')) });
    t.equal(response.statusCode, 201, contentType);
    t.equal(response.json().name, 'Zoë Ångström 李', `${contentType}: stored as sent`);
  }
});

t.test('REST: a declared charset other than UTF-8 is a 415 problem; nothing is stored', async (t) => {
  const headers = auth({ org: uniqueOrg('charset') });
  for (const charset of ['utf-16', 'UTF-16LE', 'iso-8859-1', 'latin1', 'us-ascii']) {
    const response = await app.inject({ method: 'POST', url: '/v1/people', headers: { ...headers, 'content-type': `application/json; charset=${charset}` }, payload: personBody('Ada') });
    t.equal(response.statusCode, 415, charset);
    t.match(response.headers['content-type'], 'application/problem+json');
    t.match(response.json(), { type: '/problems/unsupported-media-type', code: 'UNSUPPORTED_MEDIA_TYPE', errors: [{ path: 'headers.content-type' }] }, charset);
  }
  const list = await app.inject({ method: 'GET', url: '/v1/people', headers });
  t.same(list.json().items, [], 'no person was created');
});

t.test('GraphQL: the same rules for its JSON', async (t) => {
  const headers = auth({ org: uniqueOrg('gql-utf8') });
  const query = JSON.stringify({ query: 'mutation { createProgramme(input: { name: "Ab" }) { id } }' });
  const badBytes = Buffer.from(query);
  badBytes[badBytes.indexOf('Ab') + 1] = 0xc3; // the start of a two-byte sequence, with no continuation
  const bad = await app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json' }, payload: badBytes });
  t.equal(bad.statusCode, 400, 'not UTF-8: 400');
  t.match(bad.json(), { errors: [{ message: /UTF-8/, extensions: { code: 'BAD_USER_INPUT' } }] }, 'as a GraphQL error');
  const charset = await app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json; charset=utf-16' }, payload: query });
  t.equal(charset.statusCode, 415, 'charset=utf-16: 415');
  t.match(charset.json(), { errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] }, 'as a GraphQL error');
  const list = await app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ programmes { edges { node { id } } } }' }) });
  t.same(list.json().data.programmes.edges, [], 'no programme was created');
});

t.test('SCIM: not UTF-8 is invalidSyntax, another charset 415, both as SCIM errors', async (t) => {
  const org = uniqueOrg('scim-utf8');
  const headers = { authorization: `Bearer ${scimToken(config, { org, scope: 'scim' })}`, accept: 'application/scim+json' };
  const user = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: { givenName: 'Ada"' } });
  for (const type of ['application/scim+json', 'application/json']) {
    const bad = await app.inject({ method: 'POST', url: '/scim/v2/Users', headers: { ...headers, 'content-type': type }, payload: notUtf8(user.replace('}}', '}} ').trimEnd()) });
    t.equal(bad.statusCode, 400, `${type}: not UTF-8`);
    t.match(bad.headers['content-type'], 'application/scim+json');
    t.match(bad.json(), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidSyntax', detail: /UTF-8/ });
    const charset = await app.inject({ method: 'POST', url: '/scim/v2/Users', headers: { ...headers, 'content-type': `${type}; charset=iso-8859-1` }, payload: user });
    t.equal(charset.statusCode, 415, `${type}: charset=iso-8859-1`);
    t.match(charset.json(), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '415', detail: /iso-8859-1/ });
  }
  const list = await app.inject({ method: 'GET', url: '/scim/v2/Users', headers });
  t.equal(list.json().totalResults, 0, 'no user was created');
});
