import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';

const { app, auth, database } = await buildTestApp(t);

t.test('ETag is the version; a stale If-Match answers 412 and changes nothing', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('etag') }));
  const { relationship } = await seedWorld(api);
  const read = await api.call('GET', `/v1/relationships/${relationship.id}`);
  t.equal(read.headers.etag, `"${read.body.version}"`);

  const fresh = await api.call('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentor' }, { 'if-match': read.headers.etag as string });
  t.equal(fresh.status, 200);
  t.equal(fresh.headers.etag, `"${read.body.version + 1}"`);

  const before = await rowCounts(database);
  const stale = await api.call('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentee' }, { 'if-match': read.headers.etag as string });
  t.equal(stale.status, 412);
  t.match(stale.body, { type: '/problems/version-mismatch', currentVersion: read.body.version + 1 });
  t.same(await rowCounts(database), before);

  const weak = await api.call('PUT', `/v1/relationships/${relationship.id}/agreement`, { contactChannel: 'a', contactHours: 'b', confidentiality: 'c', mentorCanHelpWith: ['d'], mentorCannotHelpWith: [] }, { 'if-match': `W/"${read.body.version + 1}"` });
  t.equal(weak.status, 200, 'a weak ETag of the current version matches');
  const garbage = await api.call('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentee' }, { 'if-match': 'banana' });
  t.equal(garbage.status, 400);
});

t.test('Idempotency-Key: a retry replays the first response', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('idem') }));
  const key = { 'idempotency-key': `create-${Math.random()}` };
  const body = personInput({ externalId: 'IDEM-1' });
  const first = await api.call('POST', '/v1/people', body, key);
  t.equal(first.status, 201);
  const before = await rowCounts(database);
  const retry = await api.call('POST', '/v1/people', body, key);
  t.equal(retry.status, 201, 'same status');
  t.same(retry.body, first.body, 'same body');
  t.equal(retry.headers.location, first.headers.location, 'same Location');
  t.equal(retry.headers['idempotency-replayed'], 'true');
  t.same(await rowCounts(database), before, 'the retry wrote nothing');

  const other = await api.call('POST', '/v1/people', personInput({ externalId: 'IDEM-2' }), key);
  t.equal(other.status, 422);
  t.equal(other.body.type, '/problems/idempotency-key-reused');

  const stranger = client(app, auth({ org: uniqueOrg('idem-other') }));
  const elsewhere = await stranger.call('POST', '/v1/people', body, key);
  t.equal(elsewhere.status, 201, 'keys are per organisation and caller');
  t.not(elsewhere.body.id, first.body.id);
});

t.test('Idempotency-Key: a refused request is replayed as refused', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('idem-refused') }));
  const { relationship } = await seedWorld(api);
  const key = { 'idempotency-key': 'move-1' };
  const first = await api.call('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'negotiation' }, key);
  t.equal(first.status, 409);
  const again = await api.call('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'negotiation' }, key);
  t.equal(again.status, 409);
  t.same(again.body, first.body);
});

t.test('Idempotency-Key: concurrent requests with one key run once', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('idem-race') }));
  const key = { 'idempotency-key': 'race' };
  const body = { name: 'Raced programme' };
  const results = await Promise.all(Array.from({ length: 8 }, () => api.call('POST', '/v1/programmes', body, key)));
  const created = results.filter((r) => r.status === 201);
  const ids = new Set(created.map((r) => r.body.id));
  t.equal(ids.size, 1, 'one programme, however many succeeded or replayed');
  t.ok(results.every((r) => r.status === 201 || (r.status === 409 && r.body.type === '/problems/idempotency-key-in-use')), 'others replay or are told it is running');
  t.ok(results.filter((r) => r.status === 409).every((r) => Number(r.headers['retry-after']) > 0), 'and when to retry');
  t.equal(results.filter((r) => r.status === 201 && !r.headers['idempotency-replayed']).length, 1, 'exactly one ran; the other successes are replays');
  const list = await api.must('GET', '/v1/programmes');
  t.equal(list.items.length, 1);
});
