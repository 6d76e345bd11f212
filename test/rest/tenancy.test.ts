import { readFileSync } from 'node:fs';
import t from 'tap';
import { parse } from 'yaml';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { BODIES, client, seedAdminWorld, seedWorld, smartGoalInput } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';

const { app, auth, database } = await buildTestApp(t);
const owner = client(app, auth({ org: uniqueOrg('owner') }));
const world = await seedAdminWorld(owner, database);
const milestoneId = world.goal.milestones[0].id;

const document = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>>;
};
const ids: Record<string, string> = { id: '', goalId: world.goal.id, milestoneId, sessionId: world.session.id, taskId: world.goal.tasks[0].id, metricId: world.goal.metrics[0].id, key: 'classic-4', personId: world.mentee.id, runId: world.matchingRun.id };
const idFor = (template: string) => {
  if (template.startsWith('/v1/programmes/')) return world.programme.id;
  if (template.startsWith('/v1/people/')) return world.mentor.id;
  if (template.startsWith('/v1/clients/')) return world.integrationClient.id;
  if (template.startsWith('/v1/webhook-endpoints/')) return world.endpoint.id;
  if (template.startsWith('/v1/lrs-configurations/')) return world.lrs.id;
  if (template.startsWith('/v1/events/')) return world.event.id;
  return world.relationship.id;
};
const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
  Object.entries(methods)
    .filter(([, op]) => template.includes('{') && !template.includes('{key}') && !template.includes('{externalId}') && op.operationId)
    .map(([method, op]) => ({ template, method: method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH', op })),
);

t.ok(operations.length >= 20, `every operation with an id is probed (${operations.length})`);

for (const { template, method, op } of operations) {
  t.test(`${op.operationId}: another organisation gets 404 and changes nothing`, async (t) => {
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'id' ? idFor(template) : ids[name]!));
    const stranger = client(app, auth({ org: uniqueOrg('stranger'), roles: ['admin'] }));
    if (op.requestBody && !BODIES[op.operationId] && method !== 'POST') t.fail(`no probe body for ${op.operationId}`);
    const before = await rowCounts(database);
    const res = await stranger.call(method, url, op.requestBody ? (BODIES[op.operationId]?.() ?? {}) : undefined);
    t.equal(res.status, 404, `${method} ${url}: ${JSON.stringify(res.body)}`);
    t.equal(res.body.type, '/problems/not-found');
    t.notMatch(JSON.stringify(res.body), world.relationship.aspiration, 'nothing of the row leaks');
    t.same(await rowCounts(database), before);
  });
}

t.test('lists never show another organisation', async (t) => {
  const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
  for (const url of ['/v1/programmes', '/v1/people', '/v1/relationships', `/v1/relationships?programmeId=${world.programme.id}`]) {
    const page = await stranger.must('GET', url);
    t.same(page.items, [], url);
  }
});

t.test('members see and act on their own relationships only', async (t) => {
  const org = uniqueOrg('members');
  const admin = client(app, auth({ org }));
  const mine = await seedWorld(admin, { mentorExternalId: 'MENTOR-1', menteeExternalId: 'MENTEE-1' });
  const other = await seedWorld(admin);
  const mentee = client(app, auth({ org, roles: ['member'], sub: 'MENTEE-1' }));

  const list = await mentee.must('GET', '/v1/relationships');
  t.same(list.items.map((r: { id: string }) => r.id), [mine.relationship.id]);
  t.equal((await mentee.call('GET', `/v1/relationships/${other.relationship.id}`)).status, 404, 'not a party: 404, as if foreign');
  t.equal((await mentee.call('GET', '/v1/people')).status, 403, 'members cannot list the directory');
  t.equal((await mentee.call('GET', `/v1/people/${mine.mentor.id}`)).status, 200, 'but can read their mentor');
  t.equal((await mentee.call('GET', `/v1/people/${other.mentor.id}`)).status, 404);

  const accepted = await mentee.must('POST', `/v1/relationships/${mine.relationship.id}/acceptances`, {});
  t.ok(accepted.menteeAcceptedAt, 'a member accepts as themselves');
  t.notOk(accepted.mentorAcceptedAt);
  const impersonate = await mentee.call('POST', `/v1/relationships/${mine.relationship.id}/acceptances`, { party: 'mentor' });
  t.equal(impersonate.status, 403, 'and may not accept for the mentor');
  const realism = await mentee.call('POST', `/v1/relationships/${mine.relationship.id}/goals`, smartGoalInput({ mentorConfirmedRealistic: true }));
  t.equal(realism.status, 403, 'only the mentor vouches that a goal is realistic');
  const override = await mentee.call('POST', `/v1/relationships/${mine.relationship.id}/transitions`, { to: 'negotiation', override: true, reason: 'please' });
  t.equal(override.status, 403, 'only admins override guards');
  const programme = await mentee.call('POST', '/v1/programmes', { name: 'Mine' });
  t.equal(programme.status, 403);
});
