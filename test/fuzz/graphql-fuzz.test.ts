import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { HOSTILE_STRINGS } from '../helpers/schema-arbitrary.ts';

// Random operations built from schema.graphql, with random (often hostile) arguments:
// never a 5xx, never an unexpected internal error, and nothing written by a refused mutation.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40) * 15;
t.setTimeout(600_000);
const schema = buildSchema(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const { app, auth, database } = await buildTestApp(t, { config: { logLevel: (process.env.FUZZ_LOG as 'error') ?? 'silent' } });
const org = uniqueOrg('gql-fuzz');
const admin = client(app, auth({ org }));
const world = await seedWorld(admin);
const session = await admin.must('POST', `/v1/relationships/${world.relationship.id}/sessions/planned`, { plannedAt: new Date(Date.now() + 86_400_000).toISOString() });
const ids = [world.programme.id, world.mentor.id, world.mentee.id, world.relationship.id, world.goal.id, world.goal.milestones[0].id, session.id];

const scalarValue = (name: string): fc.Arbitrary<unknown> => {
  switch (name) {
    case 'ID':
      return fc.oneof(fc.constantFrom(...ids), fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS));
    case 'Int':
      return fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 0));
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true }), fc.constant(1e308));
    case 'Boolean':
      return fc.boolean();
    case 'Date':
      return fc.oneof(fc.constantFrom('2027-06-30', '2027-13-45', 'tomorrow'), fc.string());
    case 'DateTime':
      return fc.oneof(fc.constantFrom('2026-11-23T10:00:00Z', 'yesterday'), fc.string());
    default:
      return fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(...HOSTILE_STRINGS));
  }
};

function inputValue(type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return inputValue(type.ofType, depth);
  if (isListType(type)) return fc.array(inputValue(type.ofType, depth + 1), { maxLength: depth > 2 ? 0 : 2 });
  if (isEnumType(type)) return fc.oneof(fc.constantFrom(...type.getValues().map((v) => v.value)), fc.constant('not_a_value'));
  if (isInputObjectType(type)) {
    if (depth > 3) return fc.constant({});
    const fields = Object.values(type.getFields());
    return fc.record(Object.fromEntries(fields.map((f) => [f.name, inputValue(f.type, depth + 1)])), { requiredKeys: fields.filter((f) => isNonNullType(f.type) && Math.random() < 0.9).map((f) => f.name) });
  }
  return scalarValue(getNamedType(type).name);
}

function selection(type: GraphQLObjectType, depth: number): fc.Arbitrary<string> {
  const fields = Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
  const branches = depth < 3 ? fields.filter((f) => isObjectType(getNamedType(f.type))) : [];
  return fc
    .tuple(fc.subarray(leaves, { minLength: Math.min(1, leaves.length) }), fc.subarray(branches, { maxLength: Math.min(2, branches.length) }))
    .chain(([leafFields, branchFields]) =>
      fc.tuple(...branchFields.map((f) => selection(getNamedType(f.type) as GraphQLObjectType, depth + 1).map((inner) => `${f.name} { ${inner} }`))).map((inner) =>
        [...leafFields.map((f) => f.name), ...inner].join(' ') || '__typename',
      ),
    );
}

function operation(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): fc.Arbitrary<{ query: string; variables: Record<string, unknown> }> {
  const returns = getNamedType(field.type);
  const selected = isObjectType(returns) ? selection(returns, 0).map((s) => ` { ${s} }`) : fc.constant('');
  const args = fc.tuple(...field.args.map((arg) => fc.option(inputValue(arg.type, 0), { nil: undefined, freq: isNonNullType(arg.type) ? 20 : 2 })));
  return fc.tuple(selected, args).map(([selectionSet, values]) => {
    const used = field.args.map((arg, i) => ({ arg, value: values[i] })).filter(({ value }) => value !== undefined);
    const declarations = used.map(({ arg }) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
    const call = used.map(({ arg }) => `${arg.name}: $${arg.name}`).join(', ');
    return {
      query: `${kind} Fuzz${declarations ? `(${declarations})` : ''} { ${field.name}${call ? `(${call})` : ''}${selectionSet} }`,
      variables: Object.fromEntries(used.map(({ arg, value }) => [arg.name, value])),
    };
  });
}

const roots = [
  ...Object.values(schema.getQueryType()!.getFields()).map((f) => operation('query', f)),
  ...Object.values(schema.getMutationType()!.getFields()).map((f) => operation('mutation', f)),
];
const garbage = fc.oneof(fc.string(), fc.constantFrom('{', 'query { viewer { sub }', 'mutation { __schema }', '{ relationships(first: -1) { nodes { id } } }', 'query { '.repeat(500))).map((query) => ({ query, variables: {} }));

t.test(`${RUNS} random GraphQL operations`, async (t) => {
  const headers = { ...auth({ org }), 'content-type': 'application/json', accept: 'application/graphql-response+json' };
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof({ weight: 9, arbitrary: fc.oneof(...roots) }, { weight: 1, arbitrary: garbage }), async ({ query, variables }) => {
      const before = await rowCounts(database);
      const response = await app.inject({ method: 'POST', url: '/graphql', headers, payload: JSON.stringify({ query, variables }) });
      sent++;
      if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${query}: ${response.body.slice(0, 300)}`);
      const body = response.json();
      const errors = (body.errors ?? []) as { message: string; extensions?: { code?: string } }[];
      const internal = errors.find((e) => e.extensions?.code === 'INTERNAL' || typeof e.message !== 'string');
      if (internal) throw new Error(`unexpected internal error for ${query} ${JSON.stringify(variables).slice(0, 300)}: ${JSON.stringify(internal)}`);
      if (errors.length && query.startsWith('mutation') && !body.data) {
        const after = await rowCounts(database);
        if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`refused mutation changed the database: ${query}`);
      }
    }),
    { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
  );
  t.ok(sent >= RUNS, `${sent} operations sent`);
});
