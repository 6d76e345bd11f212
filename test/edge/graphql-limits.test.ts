import fc from 'fast-check';
import t from 'tap';
import { getIntrospectionQuery } from 'graphql';
import { loadConfig } from '../../src/config.ts';
import { DOCUMENT_LIMITS } from '../../src/graphql/plugin.ts';
import { gql } from '../graphql/gql-client.ts';
import { seedPair } from '../graphql/seed.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

const post = (app: Awaited<ReturnType<typeof buildTestApp>>['app'], headers: object, body: unknown) =>
  app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

t.test('GraphQL spends the same per-token budget as REST', async (t) => {
  const { app, auth } = await buildTestApp(t, { config: { rateLimit: { perToken: 30, perIp: 1_000_000 } } });
  const headers = auth({ org: uniqueOrg('gql-budget') });
  const statuses: number[] = [];
  for (let i = 0; i < 35; i++) statuses.push((await post(app, headers, { query: '{ viewer { org } }' })).statusCode);
  t.same(statuses, [...Array(30).fill(200), ...Array(5).fill(429)], '30 of 35 pass a limit of 30');
  const limited = await post(app, headers, { query: '{ viewer { org } }' });
  t.equal(limited.json().errors[0].extensions.code, 'RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) > 0);
  t.equal((await app.inject({ method: 'GET', url: '/v1/me', headers })).statusCode, 429, 'REST is out of budget too');

  const mixed = auth({ org: uniqueOrg('gql-mixed') });
  const alternate: number[] = [];
  for (let i = 0; i < 16; i++) {
    alternate.push((await app.inject({ method: 'GET', url: '/v1/me', headers: mixed })).statusCode);
    alternate.push((await post(app, mixed, { query: '{ viewer { org } }' })).statusCode);
  }
  t.equal(alternate.filter((status) => status === 200).length, 30, 'REST and GraphQL together get 30');
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
});

t.test('documents are bounded before they run: aliases, directives, tokens, depth', async (t) => {
  const { app, auth } = await buildTestApp(t);
  const headers = auth({ org: uniqueOrg('gql-armor') });
  const api = gql(app, headers);
  const pair = await seedPair(api);
  const id = pair.relationship.id;
  const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  const nextStages = `relationship(id: "${id}") { nextStages { stage allowed blockers { code message } } }`;
  const started = Date.now();
  const heavy = await post(app, headers, { query: aliased(2000, nextStages) });
  t.equal(heavy.statusCode, 400, '2,000 aliases of nextStages');
  t.equal(heavy.json().errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED', 'too many tokens to parse, even');
  t.ok(Date.now() - started < 2000, `refused before running (${Date.now() - started} ms)`);
  t.notOk('data' in heavy.json());
  const many = await post(app, headers, { query: aliased(100, nextStages) });
  t.equal(many.statusCode, 400, '100 aliases of nextStages');
  t.equal(many.json().errors[0].extensions.code, 'QUERY_TOO_COSTLY');
  t.match(many.json().errors[0].message, /Aliases limit of 20 exceeded, found 100/);

  const viewers = await post(app, headers, { query: aliased(5000, 'viewer { org }') });
  t.equal(viewers.statusCode, 400, '5,000 aliases of viewer');
  const scalars = await post(app, headers, { query: aliased(DOCUMENT_LIMITS.aliases + 1, '__typename') });
  t.equal(scalars.statusCode, 200, '__typename aliases are free (armor allows them)');
  const allowed = await post(app, headers, { query: aliased(DOCUMENT_LIMITS.aliases, `relationship(id: "${id}") { stage }`) });
  t.equal(allowed.statusCode, 200, `${DOCUMENT_LIMITS.aliases} aliases run`);
  t.equal(Object.keys(allowed.json().data).length, DOCUMENT_LIMITS.aliases);

  const directives = Array.from({ length: DOCUMENT_LIMITS.directives + 1 }, () => '@include(if: true)').join(' ');
  const directed = await post(app, headers, { query: `{ viewer ${directives} { org } }` });
  t.equal(directed.statusCode, 400);
  t.equal(directed.json().errors[0].extensions.code, 'QUERY_TOO_COSTLY');
  t.match(directed.json().errors[0].message, /Directives limit/);

  const tokens = await post(app, headers, { query: `{ viewer { ${Array(DOCUMENT_LIMITS.tokens).fill('org').join(' ')} } }` });
  t.equal(tokens.statusCode, 400, 'more tokens than the parser reads');
  t.equal(tokens.json().errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
  t.match(tokens.json().errors[0].message, /tokens/);

  const deep = await post(app, headers, { query: `{ relationship(id: "${id}") { goals { relationship { goals { relationship { goals { relationship { nextStages { blockers { code } } } } } } } } } }` });
  t.equal(deep.json().errors[0].extensions.code, 'QUERY_TOO_DEEP');
});

t.test('property: an operation runs exactly when it has at most the allowed aliases', async (t) => {
  const { app, auth } = await buildTestApp(t);
  const headers = auth({ org: uniqueOrg('gql-alias-prop') });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 3 * DOCUMENT_LIMITS.aliases }), fc.boolean(), async (n, inFragment) => {
      const fields = Array.from({ length: n }, (_, i) => `v${i}: viewer { org }`).join(' ');
      const query = inFragment ? `{ ...F } fragment F on Query { viewer { org } ${fields} }` : `{ viewer { org } ${fields} }`;
      const res = await post(app, headers, { query });
      return n <= DOCUMENT_LIMITS.aliases ? res.statusCode === 200 : res.statusCode === 400 && res.json().errors[0].extensions.code === 'QUERY_TOO_COSTLY';
    }),
    { numRuns: 40 },
  );
  t.pass('checked');
});

t.test('aliases count in the cost', async (t) => {
  const { costLimitRule } = await import('../../src/graphql/cost-limit.ts');
  const { buildSchema, parse, validate } = await import('graphql');
  const schema = buildSchema('type Query { name: String list: [Query!]! }');
  const costOf = (query: string) => {
    const [error] = validate(schema, parse(query), [costLimitRule(0)]);
    return (error?.extensions.cost as number | undefined) ?? 0;
  };
  t.equal(costOf('{ name }'), 0, 'a scalar is free');
  t.equal(costOf('{ a: name b: name c: name }'), 3, 'each alias of a scalar costs 1');
  t.equal(costOf('{ list { a: name b: name } }'), 1 + 10 * 2, 'aliases below a list are multiplied by it');
});

t.test('GRAPHQL_INTROSPECTION: on outside production by default, off in production, a setting either way', async (t) => {
  t.equal(loadConfig({}).graphql.introspection, true);
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).graphql.introspection, false);
  t.equal(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), GRAPHQL_INTROSPECTION: 'on' }).graphql.introspection, true);
  t.equal(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).graphql.introspection, false);
  const query = '{ __schema { queryType { name } } }';
  const open = await buildTestApp(t);
  const headers = open.auth({ org: uniqueOrg('introspect') });
  const allowed = await post(open.app, headers, { query });
  t.equal(allowed.statusCode, 200);
  t.same(allowed.json().data, { __schema: { queryType: { name: 'Query' } } });
  const closed = await buildTestApp(t, { config: { graphql: { introspection: false, connectionInitTimeoutMs: 3000 } } });
  const refused = await post(closed.app, closed.auth({ org: uniqueOrg('introspect') }), { query });
  t.equal(refused.statusCode, 400);
  t.equal(refused.json().errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  t.match(refused.json().errors[0].message, /introspection/);
  const full = await post(open.app, headers, { query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true }) });
  t.equal(full.statusCode, 200, 'the standard introspection query (GraphiQL, codegen) runs: 15 levels deep');
  t.ok(full.json().data.__schema.types.length > 20);
  const nested = (depth: number): string => (depth === 0 ? 'name' : `name fields { type { ${nested(depth - 1)} } }`);
  const deep = await post(open.app, headers, { query: `{ __schema { types { ${nested(8)} } } }` });
  t.equal(deep.statusCode, 400, 'introspection deeper than that is refused');
  t.equal(deep.json().errors[0].extensions.code, 'QUERY_TOO_DEEP');
  t.equal(deep.json().errors[0].extensions.limit, 16);
  const dataDeep = await post(open.app, headers, { query: `{ __schema { queryType { name } } viewer { org } }` });
  t.equal(dataDeep.statusCode, 200, 'introspection beside data');
  const typename = await post(closed.app, closed.auth({ org: uniqueOrg('introspect') }), { query: '{ __typename }' });
  t.equal(typename.statusCode, 200, '__typename is not introspection');
});

t.test('GraphQL over HTTP: extensions may be null', async (t) => {
  const { app, auth } = await buildTestApp(t);
  const headers = auth({ org: uniqueOrg('gql-null') });
  const res = await post(app, headers, { query: '{ __typename }', extensions: null });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { data: { __typename: 'Query' } });
  for (const extensions of ['x', 1, true, []]) t.equal((await post(app, headers, { query: '{ __typename }', extensions })).statusCode, 400, JSON.stringify(extensions));
});
