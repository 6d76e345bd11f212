import { GraphQLError } from 'graphql';
import t from 'tap';
import { DomainError, ERROR_TABLE } from '../../src/domain/errors.ts';
import { describeError, formatExecutionErrors } from '../../src/graphql/errors.ts';

// The one mapping from what went wrong to what a client sees.
const logged: unknown[] = [];
const log = { error: (entry: unknown) => logged.push(entry) } as never;
const context = { app: { log } };
const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['relationship'], originalError: original });

t.test('every domain error keeps its code, message and details, whatever the code', async (t) => {
  for (const code of Object.keys(ERROR_TABLE) as (keyof typeof ERROR_TABLE)[]) {
    const [described] = describeError(resolverError(new DomainError(code, `refused: ${code}`, { detail: code })));
    t.same(described?.formatted, { message: `refused: ${code}`, path: ['relationship'], extensions: { detail: code, code } }, code);
    t.equal(described?.status, ERROR_TABLE[code].status);
  }
});

t.test('an unexpected error is "Internal error", logged and never shown', async (t) => {
  logged.length = 0;
  const leak = new Error('relation "secret_table" does not exist at 10.0.0.3');
  const { statusCode, response } = formatExecutionErrors({ data: { relationship: null }, errors: [resolverError(leak)] }, context);
  t.equal(statusCode, 200, 'the query ran: 200, by GraphQL over HTTP');
  t.same(response, { data: { relationship: null }, errors: [{ message: 'Internal error', path: ['relationship'], extensions: { code: 'INTERNAL' } }] });
  t.notMatch(JSON.stringify(response), /secret_table|10\.0\.0\.3/);
  t.equal(logged.length, 1, 'the real error is logged');
  t.match(logged[0], { err: leak });
});

t.test('a request refused before it ran has no data and the status of its error', async (t) => {
  const unauthenticated = formatExecutionErrors({ errors: [resolverError(new DomainError('UNAUTHENTICATED', 'Send a bearer token.'))] }, context);
  t.equal(unauthenticated.statusCode, 401);
  t.notOk('data' in unauthenticated.response);
  const validation = Object.assign(new Error('Graphql validation error'), { code: 'MER_ERR_GQL_VALIDATION', statusCode: 400, errors: [new GraphQLError('Syntax Error: Expected Name, found <EOF>.')] });
  const parse = formatExecutionErrors({ errors: [resolverError(validation)] }, context);
  t.equal(parse.statusCode, 400);
  t.equal(parse.response.errors[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
});
