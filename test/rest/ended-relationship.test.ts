import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { BODIES, client, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';

// Generated from openapi.yaml like the tenancy probe: every write on a relationship or its parts,
// tried on a relationship that has ended, is a 409 problem that says so and changes nothing.
const { app, auth, database } = await buildTestApp(t);
const admin = client(app, auth({ org: uniqueOrg('ended') }));

const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
};
const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
  Object.entries(methods)
    .filter(([method, op]) => template.startsWith('/v1/relationships/{id}/') && WRITES.has(method) && op.operationId)
    .map(([method, op]) => ({ template, method: method.toUpperCase() as 'POST' | 'PUT' | 'PATCH' | 'DELETE', op })),
);

const override = { override: true, reason: 'ended-relationship probe' };
const ENDINGS: Record<string, string[]> = {
  declined: ['declined'],
  withdrawn: ['withdrawn'],
  completed: ['negotiation', 'growth', 'closure', 'completed'],
};

// Set up before the first assertion: tap ends a file whose queue runs dry.
const worlds = await Promise.all(
  Object.entries(ENDINGS).map(async ([status, moves]) => {
    const world = await seedWorld(admin);
    const id = world.relationship.id;
    const session = await admin.must('POST', `/v1/relationships/${id}/sessions/planned`, BODIES.planSession!());
    for (const to of moves) await admin.must('POST', `/v1/relationships/${id}/transitions`, { to, ...override });
    const ended = await admin.must('GET', `/v1/relationships/${id}`);
    return { status, ended, ids: { id, goalId: world.goal.id, milestoneId: world.goal.milestones[0].id, taskId: world.goal.tasks[0].id, metricId: world.goal.metrics[0].id, sessionId: session.id } as Record<string, string> };
  }),
);
t.ok(operations.length >= 10, `every write on a relationship is probed (${operations.length})`);

for (const { status, ended, ids } of worlds) {
  t.equal(ended.status, status, `the ${status} relationship is set up`);

  for (const { template, method, op } of operations) {
    t.test(`${op.operationId} on a ${status} relationship: 409 relationship-ended, nothing changed`, async (t) => {
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        if (!ids[name]) throw new Error(`the probe has no ${name} for ${template}: add one`);
        return ids[name];
      });
      const body = op.requestBody ? (BODIES[op.operationId]?.() ?? {}) : undefined;
      const before = await rowCounts(database);
      const res = await admin.call(method, url, body);
      t.equal(res.status, 409, `${method} ${url}: ${JSON.stringify(res.body)}`);
      t.equal(res.body.status, 409, 'the problem status is the HTTP status, a number');
      t.equal(res.body.type, '/problems/relationship-ended');
      t.equal(res.body.code, 'RELATIONSHIP_ENDED');
      t.equal(res.body.relationshipStatus, status);
      t.match(res.headers['content-type'], /application\/problem\+json/);
      t.same(await rowCounts(database), before, 'nothing changed');
    });
  }
}
