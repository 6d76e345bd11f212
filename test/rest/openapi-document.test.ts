import { readFile } from 'node:fs/promises';
import { Validator } from '@seriousme/openapi-schema-validator';
import t from 'tap';
import { parse } from 'yaml';
import { buildTestApp } from '../helpers/app.ts';

const { app } = await buildTestApp(t);

t.test('openapi.yaml is a valid OpenAPI 3.1 document', async (t) => {
  const validator = new Validator();
  const result = await validator.validate(parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8')));
  t.ok(result.valid, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
  t.equal(validator.version, '3.1');
});

t.test('the committed openapi.yaml is what the server serves', async (t) => {
  const served = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const committed = parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
  t.same(served, committed);
});

t.test('every operation has an operationId, a summary, its problems and a security requirement', async (t) => {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ids = new Set<string>();
  for (const [path, methods] of Object.entries<Record<string, { operationId?: string; summary?: string; security?: unknown[]; responses: Record<string, unknown> }>>(document.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      t.ok(op.operationId, `${method} ${path} has an operationId`);
      t.notOk(ids.has(op.operationId!), `${op.operationId} is unique`);
      ids.add(op.operationId!);
      t.ok(op.summary, `${op.operationId} has a summary`);
      // A public operation (security: [], the calendar feed read by its secret URL) cannot answer 401.
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      t.ok(op.responses['400'] && (isPublic || op.responses['401']), `${op.operationId} documents 400${isPublic ? '' : ' and 401'}`);
    }
  }
  t.ok(document.security?.length, 'bearer auth applies to every operation');
});

t.test('/docs serves the interactive reference', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/docs/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
});
