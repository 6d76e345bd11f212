import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { parse } from 'yaml';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { HOSTILE_STRINGS, hostile, valid } from '../helpers/schema-arbitrary.ts';

// Every operation of openapi.yaml, hammered with schema-driven inputs, mostly broken ones:
// never a 5xx, always a problem document when refused, and nothing written when refused.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
t.setTimeout(600_000);
const { app, auth, database } = await buildTestApp(t);
const org = uniqueOrg('fuzz');
const admin = client(app, auth({ org }));
const world = await seedWorld(admin);
const session = await admin.must('POST', `/v1/relationships/${world.relationship.id}/sessions/planned`, { plannedAt: new Date(Date.now() + 86_400_000).toISOString() });
const headers = auth({ org });

type Operation = { operationId: string; parameters?: { in: string; name: string; schema: Record<string, unknown> }[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const components = document.components.schemas;
const knownIds = [world.programme.id, world.mentor.id, world.relationship.id, world.goal.id, world.goal.milestones[0].id, world.goal.tasks[0].id, world.goal.metrics[0].id, session.id];
// A lone surrogate cannot be percent-encoded; send the raw (invalid UTF-8) escape instead.
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
};
const pathValue = fc.oneof(fc.constantFrom(...knownIds), fc.uuid(), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 8)).map(encode), fc.string({ maxLength: 20 }).map(encode));

let requests = 0;
for (const [template, methods] of Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/'))) {
  for (const [method, operation] of Object.entries(methods)) {
    t.test(`${operation.operationId}: ${RUNS} hostile requests`, async () => {
      const bodySchema = operation.requestBody?.content['application/json']?.schema;
      const queryParameters = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const query = fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, fc.oneof(valid(p.schema, components), fc.constantFrom(...HOSTILE_STRINGS.slice(0, 10)))])), { requiredKeys: [] });
      await fc.assert(
        fc.asyncProperty(
          fc.array(pathValue, { minLength: 3, maxLength: 3 }),
          query,
          bodySchema ? fc.oneof({ weight: 1, arbitrary: valid(bodySchema, components) }, { weight: 3, arbitrary: hostile(bodySchema, components) }) : fc.constant(undefined),
          async (ids, queryValues, body) => {
            let index = 0;
            const path = template.replace(/\{[^}]+\}/g, () => ids[index++]!);
            const search = Object.entries(queryValues)
              .map(([k, v]) => `${k}=${encode(typeof v === 'string' ? v : JSON.stringify(v))}`)
              .join('&');
            const before = await rowCounts(database);
            const response = await app.inject({
              method: method.toUpperCase() as 'GET',
              url: search ? `${path}?${search}` : path,
              headers,
              ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } }),
            });
            requests++;
            if (response.statusCode >= 500) throw new Error(`${response.statusCode} for ${method} ${path}: ${response.body.slice(0, 300)}`);
            if (response.statusCode >= 400) {
              if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) throw new Error(`not a problem document: ${response.headers['content-type']}`);
              const problem = response.json();
              if (problem.status !== response.statusCode || typeof problem.type !== 'string') throw new Error(`malformed problem: ${response.body.slice(0, 200)}`);
              const after = await rowCounts(database);
              if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`refused ${response.statusCode} but the database changed: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
            }
          },
        ),
        { numRuns: RUNS },
      );
    });
  }
}

t.test('the fuzzers sent thousands of requests', async (t) => {
  t.ok(requests >= RUNS * 30, `${requests} requests`);
});
