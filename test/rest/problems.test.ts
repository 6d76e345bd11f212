import Fastify from 'fastify';
import t from 'tap';
import { ERROR_TABLE, codeOfFrameworkError } from '../../src/domain/errors.ts';
import { describeError } from '../../src/graphql/errors.ts';
import { handleError } from '../../src/rest/problems.ts';

// Errors the frameworks raise themselves are answered from the one error table, by their own code
// or else by their status; one the table does not know is not passed off as some other client error.

t.test('a framework error is known by its code, or else by the general code of its status', async (t) => {
  for (const [code, entry] of Object.entries(ERROR_TABLE)) {
    for (const framework of 'frameworkCodes' in entry ? entry.frameworkCodes : []) t.equal(codeOfFrameworkError({ code: framework }), code, `${framework} → ${code}`);
  }
  t.equal(codeOfFrameworkError({ code: 'FST_ERR_SOMETHING_NEW', statusCode: 404 }), 'NOT_FOUND');
  t.equal(codeOfFrameworkError({ code: 'FST_ERR_SOMETHING_NEW', statusCode: 409 }), 'CONFLICT', 'the first code of a status is its general one');
  t.equal(codeOfFrameworkError({ statusCode: 422 }), 'UNPROCESSABLE');
  t.equal(codeOfFrameworkError({ statusCode: 400 }), 'BAD_USER_INPUT');
  t.equal(codeOfFrameworkError({ statusCode: 418 }), undefined, 'a 4xx the table has no code for');
  t.equal(codeOfFrameworkError({ statusCode: 502 }), undefined, 'a server error is never a client error');
  t.equal(codeOfFrameworkError({ code: '23505' }), undefined, 'a database error code is not a framework code');
});

async function appThrowing(error: Error) {
  const logged: unknown[] = [];
  const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => logged.push(JSON.parse(line)) } } });
  app.setErrorHandler(handleError);
  app.get('/boom', async () => {
    throw error;
  });
  const response = await app.inject({ method: 'GET', url: '/boom' });
  await app.close();
  return { response, logged };
}

t.test('REST answers a framework error from the table', async (t) => {
  const { response } = await appThrowing(Object.assign(new Error('Route not there'), { code: 'FST_ERR_SOMETHING_NEW', statusCode: 404 }));
  t.equal(response.statusCode, 404);
  t.match(response.json(), { type: '/problems/not-found', code: 'NOT_FOUND', status: 404 });
  const tooLarge = await appThrowing(Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }));
  t.match(tooLarge.response.json(), { code: 'PAYLOAD_TOO_LARGE', status: 413 });
});

t.test('REST does not pass off a 4xx the table does not know as bad input: it is logged and internal', async (t) => {
  const { response, logged } = await appThrowing(Object.assign(new Error("I'm a teapot"), { statusCode: 418 }));
  t.equal(response.statusCode, 500);
  t.match(response.json(), { code: 'INTERNAL', type: '/problems/internal' });
  t.notMatch(response.body, /teapot/, 'its message is not shown');
  t.ok(logged.some((entry) => JSON.stringify(entry).includes('teapot')), 'and it is logged, to be added to the table');
});

t.test('GraphQL answers framework errors from the same table, with the same rule', async (t) => {
  const described = (error: Error) => describeError(error)[0]!;
  t.match(described(Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 })), {
    status: 415,
    formatted: { extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } },
  });
  t.match(described(Object.assign(new Error('gone'), { statusCode: 404 })), { status: 404, formatted: { extensions: { code: 'NOT_FOUND' } } });
  const teapot = described(Object.assign(new Error("I'm a teapot"), { statusCode: 418 }));
  t.match(teapot, { status: 500, formatted: { message: 'Internal error', extensions: { code: 'INTERNAL' } } });
  t.ok(teapot.internal, 'to be logged');
});

t.test("a domain error's details never replace the problem's own members", async (t) => {
  const { DomainError } = await import('../../src/domain/errors.ts');
  const hostile = { type: 'https://evil.example', title: 'x', status: 'completed', detail: 'y', instance: 'z', code: 'INTERNAL', relationshipStatus: 'completed' };
  const { response } = await appThrowing(new DomainError('CONFLICT', 'The relationship has ended.', hostile));
  t.equal(response.statusCode, 409);
  const body = response.json();
  t.match(body, { type: '/problems/conflict', title: ERROR_TABLE.CONFLICT.title, status: 409, detail: 'The relationship has ended.', instance: '/boom', code: 'CONFLICT' });
  t.equal(body.relationshipStatus, 'completed', 'other extensions pass through');
});
