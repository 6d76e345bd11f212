import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { buildSchema, isNonNullType, type GraphQLInputObjectType } from 'graphql';
import semver from 'semver';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config.ts';
import { fromRoot, packageVersion } from '../../src/root.ts';
import { startBanner } from '../../src/start-banner.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { closingReflection } from '../helpers/fixtures.ts';
import { RUN_TYPESCRIPT } from '../helpers/typescript-child.ts';

const text = (path: string) => readFile(fromRoot(path), 'utf8');

t.test('the start-up banner names every way in', async (t) => {
  const banner = startBanner(loadConfig({}), 'http://127.0.0.1:3000', '0.42');
  for (const line of [/REST API\s+http:\/\/127\.0\.0\.1:3000\/v1/, /\/docs/, /GraphQL\s+http:\/\/127\.0\.0\.1:3000\/graphql/, /ws:\/\/127\.0\.0\.1:3000\/graphql/, /GraphiQL\s+http:\/\/127\.0\.0\.1:3000\/graphiql/, /export TOKEN=ey/]) {
    t.match(banner, line);
  }
  t.notMatch(startBanner(loadConfig({ JWT_SECRET: 'x'.repeat(40) }), 'http://h', '1'), /TOKEN=/, 'no token printed with a real secret');
});

t.test('the OpenAPI version is package.json\'s', async (t) => {
  const { version } = JSON.parse(await text('package.json')) as { version: string };
  t.equal(packageVersion, version);
  t.equal((parseYaml(await text('openapi.yaml')) as { info: { version: string } }).info.version, version, 'openapi.yaml');
  const { app } = await buildTestApp(t);
  t.equal((await app.inject({ method: 'GET', url: '/openapi.json' })).json().info.version, version, '/openapi.json (and /docs)');
});

t.test('every Markdown table in the README and docs/ renders: a header, a separator, rows, no blank line inside', async (t) => {
  for (const path of ['README.md', 'docs/architecture.md', 'docs/stage-models.md', 'docs/permissions.md']) {
    const lines = (await text(path)).split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('|') || lines[i - 1]?.startsWith('|')) continue;
      t.match(lines[i + 1], /^\|(\s*:?-+:?\s*\|)+$/, `${path}:${i + 1} starts a table with a header and a separator`);
      let end = i;
      while (lines[end + 1]?.startsWith('|')) end++;
      t.notOk(lines[end + 2]?.startsWith('|') && lines[end + 1] === '', `${path}:${end + 2}: no blank line splits the table`);
    }
  }
});

t.test('docs/stage-models.md documents both built-in models and is current', async (t) => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [...RUN_TYPESCRIPT, 'scripts/stage-models-doc.ts', '--check'], { cwd: new URL('.', fromRoot('package.json')) });
  t.match(stdout, /docs\/stage-models.md is current/);
  const doc = await text('docs/stage-models.md');
  for (const needle of ['`classic-4`', '`five-stage`', '`action_planning` | `implementation` | `action_plan_ready`', '| `reflections_recorded` |']) t.ok(doc.includes(needle), needle);
});

t.test('closing reflections are their own shape in openapi.yaml and schema.graphql', async (t) => {
  const openapi = parseYaml(await text('openapi.yaml')) as { components: { schemas: Record<string, { oneOf?: { $ref: string }[]; required?: string[] }> } };
  const union = openapi.components.schemas.RecordReflectionInput!;
  t.same(union.oneOf?.map((s) => s.$ref.split('/').pop()), ['RecordProgressReflectionInput', 'RecordFeedbackReflectionInput', 'RecordClosingReflectionInput']);
  t.same(openapi.components.schemas.RecordClosingReflectionInput!.required, ['kind', 'text', 'whatWorked', 'whatDidNot', 'howBenefited']);
  t.same(openapi.components.schemas.RecordProgressReflectionInput!.required, ['kind', 'text']);
  const schema = buildSchema(await text('schema.graphql'));
  const closing = schema.getType('RecordClosingReflectionInput') as GraphQLInputObjectType;
  for (const field of ['text', 'whatWorked', 'whatDidNot', 'howBenefited']) t.ok(isNonNullType(closing.getFields()[field]!.type), `${field} is required`);
  t.same(Object.keys((schema.getType('RecordReflectionInput') as GraphQLInputObjectType).getFields()), ['kind', 'party', 'text']);
  t.ok(schema.getMutationType()!.getFields().recordClosingReflection);

  const { app, auth } = await buildTestApp(t);
  const headers = auth({ org: uniqueOrg('reflections') });
  const post = (payload: object) => app.inject({ method: 'POST', url: `/v1/relationships/00000000-0000-7000-8000-000000000000/reflections`, headers, payload });
  const { whatWorked: _w, ...withoutWhatWorked } = closingReflection('mentor');
  const missing = await post(withoutWhatWorked);
  t.equal(missing.statusCode, 400);
  t.match(missing.json().errors, [{ path: 'body.whatWorked' }], 'the missing answer is named');
  const extra = await post({ kind: 'progress', party: 'mentor', text: 'Fine', whatWorked: 'n/a' });
  t.equal(extra.statusCode, 400, 'a progress reflection has no closing answers');
});

t.test('runtime dependencies support the Node.js package.json names (no EBADENGINE on Node 20)', async (t) => {
  const { engines } = JSON.parse(await text('package.json')) as { engines: { node: string } };
  const oldest = semver.minVersion(engines.node)!.version;
  t.equal(oldest, '20.0.0');
  const lock = JSON.parse(await text('package-lock.json')) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[]; version?: string }> };
  const runtime = Object.entries(lock.packages).filter(([path, entry]) => path.includes('node_modules/') && !entry.dev);
  t.ok(runtime.length > 50, `${runtime.length} runtime packages`);
  const refusing = runtime
    .filter(([, entry]) => entry.engines && !Array.isArray(entry.engines) && entry.engines.node && !semver.satisfies('20.19.0', entry.engines.node, { includePrerelease: true }))
    .map(([path, entry]) => `${path.split('node_modules/').pop()}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
  t.same(refusing, [], 'every runtime package accepts Node 20');
});

t.test('the Docker image runs the current Node.js LTS', async (t) => {
  const images = [...(await text('Dockerfile')).matchAll(/^FROM (\S+)/gm)].map(([, image]) => image);
  t.ok(images.length >= 3);
  for (const image of images) t.match(image, /^node:26-/, image!);
});
