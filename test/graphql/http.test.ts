import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { CREATE_PROGRAMME } from './documents.ts';
import { gql } from './gql-client.ts';

// GraphQL over HTTP: media types, methods, status codes, auth, and the depth and cost limits.
const { app, auth, config } = await buildTestApp(t);
const GRAPHQL_RESPONSE = 'application/graphql-response+json';

const programmesOf = async (headers: Record<string, string>) =>
  (await gql(app, headers).must('{ programmes(first: 100) { nodes { name } } }')).programmes.nodes.map((p: { name: string }) => p.name);

t.test('the response media type follows Accept', async (t) => {
  const headers = auth({ org: uniqueOrg('media') });
  const modern = await app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9` }, payload: { query: '{ viewer { org } }' } });
  t.equal(modern.statusCode, 200);
  t.match(modern.headers['content-type'], /^application\/graphql-response\+json/);
  const legacy = await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query: '{ viewer { org } }' } });
  t.match(legacy.headers['content-type'], /^application\/json/, 'no Accept header: application/json, as legacy clients expect');
  const preferJson = await app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, accept: `application/json, ${GRAPHQL_RESPONSE};q=0.5` }, payload: { query: '{ viewer { org } }' } });
  t.match(preferJson.headers['content-type'], /^application\/json/);
});

t.test('GET runs queries, and refuses mutations with 405 without running them', async (t) => {
  const org = uniqueOrg('get');
  const headers = { ...auth({ org }), accept: GRAPHQL_RESPONSE };
  const query = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ viewer { org roles } }')}`, headers });
  t.equal(query.statusCode, 200);
  t.same(query.json().data, { viewer: { org, roles: ['admin'] } });

  const mutation = `mutation { createProgramme(input: { name: "Sneaky" }) { id } }`;
  const refused = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(mutation)}`, headers });
  t.equal(refused.statusCode, 405);
  t.equal(refused.headers.allow, 'POST');
  t.match(refused.headers['content-type'], /^application\/graphql-response\+json/);
  t.equal(refused.json().errors[0].extensions.code, 'METHOD_NOT_ALLOWED');
  t.notOk('data' in refused.json(), 'a request refused before it runs has no data');
  t.same(await programmesOf(auth({ org })), [], 'nothing was created');
});

t.test('parse and validation errors are 400 with the GraphQL response media type', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('invalid') }));
  const parse = await api.call('{ viewer { org ');
  t.equal(parse.status, 400);
  t.match(parse.contentType, /^application\/graphql-response\+json/);
  t.equal(parse.errors?.[0]?.extensions.code, 'GRAPHQL_PARSE_FAILED');
  t.notOk('data' in parse.body);

  for (const notGraphQL of ['0', '{"kind":"Document"}', JSON.stringify({ kind: 'Document', definitions: [] })]) {
    const refused = await api.call(notGraphQL);
    t.equal(refused.status, 400, `${notGraphQL}: only GraphQL text is read, never a JSON-encoded AST`);
    t.equal(refused.errors?.[0]?.extensions.code, 'GRAPHQL_PARSE_FAILED');
  }

  const unknownField = await api.call('{ viewer { salary } }');
  t.equal(unknownField.status, 400);
  t.equal(unknownField.errors?.[0]?.extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  t.match(unknownField.errors?.[0]?.message, /salary/);

  // The second run of a query is compiled by graphql-jit, which coerces variables itself.
  for (let run = 1; run <= 3; run++) {
    const badVariable = await api.call('query ($first: Int) { relationships(first: $first) { nodes { id } } }', { first: 2 ** 31 });
    t.equal(badVariable.status, 400, `run ${run}`);
    t.equal(badVariable.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', `run ${run}: a variable of the wrong type`);
  }

  const badEnum = await api.call('{ relationships(filter: { status: finished }) { nodes { id } } }');
  t.equal(badEnum.status, 400, 'enum values are the vocabulary strings; others do not validate');
});

t.test('an unauthenticated request is refused with 401 and UNAUTHENTICATED', async (t) => {
  const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic dXNlcjpwYXNz' }];
  for (const headers of attempts) {
    const response = await gql(app, headers).call('{ viewer { org } }');
    t.equal(response.status, 401);
    t.equal(response.errors?.[0]?.extensions.code, 'UNAUTHENTICATED');
    t.match(response.headers['www-authenticate'], /^Bearer/);
    t.notOk('data' in response.body);
  }
  const noClaims = await gql(app, { authorization: `Bearer ${app.jwt.sign({ sub: 'x' })}` }).call('{ viewer { org } }');
  t.equal(noClaims.status, 401, 'a valid token without org and roles is not enough');
});

t.test('the depth limit refuses a deeply nested query', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('depth') }));
  const nest = (levels: number) => `{ relationships(first: 1) { nodes { ${'goals { relationship { '.repeat(levels)}id${' } }'.repeat(levels)} } } }`;
  const fits = await api.call(nest(2));
  t.equal(fits.status, 200, 'a screen-deep query passes');
  const deep = await api.call(nest(4));
  t.equal(deep.status, 400);
  t.equal(deep.errors?.[0]?.extensions.code, 'QUERY_TOO_DEEP');
  t.match(deep.errors?.[0]?.message, /levels deep; the limit is 8/);
});

t.test('the cost limit refuses a hostile query that stays within the depth limit', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('cost') }));
  const screen = 'relationships(first: 100) { nodes { mentor { name } mentee { name } goals { milestones { title } tasks { title } metrics { name } } history { toStage } } }';
  const one = await api.call(`{ a: ${screen} }`);
  t.equal(one.status, 200, 'one 100-relationship screen is within the limit');
  const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: ${screen}`).join('\n');
  const hostile = await api.call(`{ ${aliases} }`);
  t.equal(hostile.status, 400);
  const error = hostile.errors?.[0];
  t.equal(error?.extensions.code, 'QUERY_TOO_COSTLY');
  t.ok(error?.extensions.cost > error?.extensions.limit, `the error says what it cost (${error?.extensions.cost}) and the limit`);
  const viaVariable = await api.call(`query ($n: Int) { ${Array.from({ length: 30 }, (_, i) => `a${i}: relationships(first: $n) { nodes { goals { milestones { title } } } }`).join(' ')} }`, { n: 1 });
  t.equal(viaVariable.errors?.[0]?.extensions.code, 'QUERY_TOO_COSTLY', 'a size given by a variable counts as the most it may be');
});

t.test('errors keep their code once a query is compiled by graphql-jit', async (t) => {
  const api = gql(app, auth({ org: uniqueOrg('jit') }));
  const query = 'query ($id: ID!) { relationship(id: $id) { id } viewer { org } }';
  for (let run = 1; run <= 3; run++) {
    const response = await api.call(query, { id: '01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10' });
    t.equal(response.errors?.[0]?.extensions.code, 'NOT_FOUND', `run ${run}`);
    t.equal(response.data.relationship, null);
    t.ok(response.data.viewer.org);
  }
});

t.test('a mutation over POST with variables creates and returns the object', async (t) => {
  const headers = auth({ org: uniqueOrg('post') });
  const { createProgramme } = await gql(app, headers).must(CREATE_PROGRAMME, { input: { name: 'Posted', endsOn: null } });
  t.equal(createProgramme.name, 'Posted');
  t.same(await programmesOf(headers), ['Posted']);
});

t.test('GraphiQL is served outside production', async (t) => {
  t.equal(config.env, 'test');
  const page = await app.inject({ method: 'GET', url: '/graphiql' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
});

t.test('GraphiQL is not served in production', async (t) => {
  const production = await buildTestApp(t, { config: { env: 'production' } });
  const page = await production.app.inject({ method: 'GET', url: '/graphiql' });
  t.equal(page.statusCode, 404);
});
