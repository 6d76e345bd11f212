import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';

const { app, auth, database } = await buildTestApp(t);
const api = client(app, auth({ org: uniqueOrg('bad') }));
const world = await seedWorld(api);
const rel = `/v1/relationships/${world.relationship.id}`;
const huge = 'x'.repeat(20_000);

type Case = [method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, body: unknown, failingPath: string];
const cases: Case[] = [
  ['POST', '/v1/programmes', {}, 'body.name'],
  ['POST', '/v1/programmes', { name: 42 }, 'body.name'],
  ['POST', '/v1/programmes', { name: 'x', colour: 'blue' }, 'body'],
  ['POST', '/v1/programmes', { name: huge }, 'body.name'],
  ['POST', '/v1/programmes', { name: 'x', endsOn: '2027-13-45' }, 'body.endsOn'],
  ['POST', '/v1/programmes', { name: 'x', stageModelKey: 'nine-stage' }, 'stageModelKey'],
  ['POST', '/v1/programmes', { name: 'x', stageModel: { key: 'loop', name: 'Loop', start: 'a', stages: ['a', 'b'], transitions: [{ from: 'a', to: 'b', guards: [] }] } }, 'stageModel'],
  ['POST', '/v1/people', { name: 'A', email: 'not-an-email' }, 'body.email'],
  ['POST', '/v1/people', { name: 'A', timezone: 'Mars/Olympus' }, 'body.timezone'],
  ['POST', '/v1/people', { name: 'A', capacity: -1 }, 'body.capacity'],
  ['POST', '/v1/people/batch', { people: [] }, 'body.people'],
  ['POST', '/v1/people/batch', { people: [{ name: 'No external id' }] }, 'body.people.0.externalId'],
  ['PUT', '/v1/people/external/E-9', { name: '' }, 'body.name'],
  ['POST', '/v1/relationships', { programmeId: 'nope', mentorId: world.mentor.id, menteeId: world.mentee.id }, 'body.programmeId'],
  ['POST', '/v1/relationships', { programmeId: world.programme.id, mentorId: world.mentor.id, menteeId: world.mentor.id }, 'menteeId'],
  ['POST', `${rel}/acceptances`, { party: 'chaperone' }, 'body.party'],
  ['PUT', `${rel}/agreement`, { contactChannel: 'Zoom' }, 'body.contactHours'],
  ['POST', `${rel}/transitions`, {}, 'body.to'],
  ['POST', `${rel}/transitions`, { to: 'withdrawn' }, 'reason'],
  ['POST', `${rel}/transitions`, { to: 'negotiation', override: true, reason: 'x', extra: 1 }, 'body'],
  ['POST', `${rel}/goals`, { title: 'x', focus: 'fame' }, 'body.focus'],
  ['POST', `${rel}/goals`, { title: 'x', metrics: [{ name: 'm', target: 'ten' }] }, 'body.metrics.0.target'],
  ['POST', `${rel}/goals`, { title: 'x', dueOn: 'tomorrow' }, 'body.dueOn'],
  ['POST', `${rel}/goals/${world.goal.id}/drop`, {}, 'body.reason'],
  ['POST', `${rel}/sessions`, { kind: 'regular', heldAt: 'yesterday', minutes: 30 }, 'body.heldAt'],
  ['POST', `${rel}/sessions`, { kind: 'regular', heldAt: '2026-01-01T10:00:00Z', minutes: 0 }, 'body.minutes'],
  ['POST', `${rel}/reflections`, { kind: 'closing', party: 'mentor', text: 'Short.' }, 'body.whatWorked'],
  ['POST', '/v1/smart-checks', { goal: {} }, 'body.goal.title'],
  ['GET', '/v1/relationships?limit=0', undefined, 'querystring.limit'],
  ['GET', '/v1/relationships?limit=101', undefined, 'querystring.limit'],
  ['GET', '/v1/relationships?status=paused', undefined, 'querystring.status'],
  ['GET', '/v1/relationships?cursor=not-a-cursor', undefined, 'query.cursor'],
  ['GET', `/v1/people?cursor=${Buffer.from('c1:DROP TABLE people').toString('base64url')}`, undefined, 'query.cursor'],
  ['GET', '/v1/relationships/not-a-uuid', undefined, 'params.id'],
];

for (const [method, url, body, failingPath] of cases) {
  t.test(`${method} ${url.replace(/[0-9a-f-]{36}/g, ':id')} with ${JSON.stringify(body)?.slice(0, 60)} → 400, nothing written`, async (t) => {
    const before = await rowCounts(database);
    const res = await api.call(method, url, body);
    t.equal(res.status, 400, JSON.stringify(res.body));
    t.match(res.headers['content-type'], /^application\/problem\+json/);
    t.equal(res.body.type, '/problems/validation-failed');
    t.ok(
      res.body.errors?.some((e: { path: string }) => e.path.includes(failingPath) || failingPath.includes(e.path)),
      `errors name ${failingPath}: ${JSON.stringify(res.body.errors)}`,
    );
    t.same(await rowCounts(database), before, 'no row written or changed');
  });
}

t.test('malformed JSON and wrong media type are problems, not crashes', async (t) => {
  const headers = { ...auth({ org: uniqueOrg() }), 'content-type': 'application/json' };
  const broken = await app.inject({ method: 'POST', url: '/v1/programmes', headers, payload: '{"name": ' });
  t.equal(broken.statusCode, 400);
  t.match(broken.headers['content-type'], /problem\+json/);
  const xml = await app.inject({ method: 'POST', url: '/v1/programmes', headers: { ...headers, 'content-type': 'application/xml' }, payload: '<name/>' });
  t.equal(xml.statusCode, 415);
  t.match(xml.json(), { type: '/problems/unsupported-media-type' });
});

t.test('a body over the limit answers 413', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/programmes',
    headers: { ...auth({ org: uniqueOrg() }), 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'x', description: 'y'.repeat(2 * 1024 * 1024) }),
  });
  t.equal(res.statusCode, 413);
  t.match(res.json(), { type: '/problems/payload-too-large' });
});
