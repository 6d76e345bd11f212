import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, closingReflection, personInput, seedAdminWorld } from '../helpers/fixtures.ts';

let now = new Date('2026-11-23T12:00:00Z');
const { app, auth, database } = await buildTestApp(t, { clock: () => now, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenRequest = (payload: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload });

t.test('an admin creates a client; client_credentials gives a scoped, short-lived token', async (t) => {
  const org = uniqueOrg('clients');
  const admin = client(app, auth({ org }));
  const created = await admin.call('POST', '/v1/clients', { name: 'Workday sync', scopes: ['people:read', 'people:write'] });
  t.equal(created.status, 201);
  t.match(created.body.clientSecret, /^tcs_/);
  const read = await admin.must('GET', `/v1/clients/${created.body.id}`);
  t.notOk('clientSecret' in read, 'the secret is never shown again');

  const issued = await tokenRequest(form({ grant_type: 'client_credentials', client_id: created.body.id, client_secret: created.body.clientSecret }));
  t.equal(issued.statusCode, 200);
  t.equal(issued.headers['cache-control'], 'no-store');
  const token = issued.json();
  t.match(token, { token_type: 'Bearer', expires_in: 600, scope: 'people:read people:write' });

  const machine = client(app, { authorization: `Bearer ${token.access_token}` });
  const me = await machine.must('GET', '/v1/me');
  t.same(me, { sub: `client:${created.body.id}`, org, roles: ['integration'] });
  t.equal((await machine.call('POST', '/v1/people', personInput())).status, 201, 'people:write granted');
  const outside = await machine.call('POST', '/v1/programmes', { name: 'Not granted' });
  t.equal(outside.status, 403, 'programmes:write was not granted');
  t.match(outside.body.detail, /programmes:write/);

  const basic = Buffer.from(`${created.body.id}:${created.body.clientSecret}`).toString('base64');
  const narrowed = await tokenRequest(form({ grant_type: 'client_credentials', scope: 'people:read' }), { authorization: `Basic ${basic}` });
  t.equal(narrowed.json().scope, 'people:read', 'HTTP Basic works and a client may ask for less');
  const wider = await tokenRequest(form({ grant_type: 'client_credentials', scope: 'people:read webhooks:manage' }), { authorization: `Basic ${basic}` });
  t.equal(wider.statusCode, 400);
  t.equal(wider.json().error, 'invalid_scope');

  for (const bad of ['%E0%A4%A:secret', `${created.body.id}:%`, 'no-colon-here']) {
    const malformed = await tokenRequest(form({ grant_type: 'client_credentials' }), { authorization: `Basic ${Buffer.from(bad).toString('base64')}` });
    t.equal(malformed.statusCode, 401, `malformed Basic ${bad}: 401, not 500`);
    t.equal(malformed.json().error, 'invalid_client');
  }
  const empty = await tokenRequest(form({ grant_type: 'client_credentials' }), { authorization: 'Basic' });
  t.equal(empty.statusCode, 401, 'an empty Basic credential too');

  const audit = await admin.must('GET', `/v1/audit-events?subjectId=${created.body.id}`);
  t.same(audit.items.map((e: { action: string }) => e.action), ['createClient']);
  const byClient = await admin.must('GET', `/v1/audit-events?action=createPerson`);
  t.equal(byClient.items[0].clientId, created.body.id, 'changes made by a client say so');
});

t.test('revoking a client stops new tokens at once and live ones within 15 s', async (t) => {
  const org = uniqueOrg('revoke');
  const admin = client(app, auth({ org }));
  const { body: created } = await admin.call('POST', '/v1/clients', { name: 'LMS', scopes: ['relationships:read'] });
  const token = (await tokenRequest(form({ grant_type: 'client_credentials', client_id: created.id, client_secret: created.clientSecret }))).json().access_token;
  const machine = client(app, { authorization: `Bearer ${token}` });
  t.equal((await machine.call('GET', '/v1/relationships')).status, 200);

  const revoked = await admin.must('DELETE', `/v1/clients/${created.id}`);
  t.ok(revoked.revokedAt);
  const again = await tokenRequest(form({ grant_type: 'client_credentials', client_id: created.id, client_secret: created.clientSecret }));
  t.equal(again.statusCode, 401);
  t.equal(again.json().error, 'invalid_client');

  now = new Date(now.getTime() + 16_000);
  const live = await machine.call('GET', '/v1/relationships');
  t.equal(live.status, 401, 'the live token is refused once the cache has expired');
});

t.test('the token endpoint refuses what RFC 6749 says to refuse', async (t) => {
  t.equal((await tokenRequest(form({ grant_type: 'password', username: 'a', password: 'b' }))).json().error, 'unsupported_grant_type');
  const missing = await tokenRequest(form({ grant_type: 'client_credentials' }));
  t.equal(missing.statusCode, 401);
  t.equal(missing.json().error, 'invalid_client');
  const wrong = await tokenRequest(form({ grant_type: 'client_credentials', client_id: '01a20a4d-9e79-77d5-97f2-8073e72b864c', client_secret: 'tcs_guess' }));
  t.equal(wrong.statusCode, 401);
  const json = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'nope', client_secret: 'x' } });
  t.equal(json.statusCode, 401, 'JSON bodies are accepted too');
});

t.test('clients and the audit log are for admins only', async (t) => {
  const org = uniqueOrg('admin-only');
  for (const role of ['manager', 'integration', 'member'] as const) {
    const caller = client(app, auth({ org, roles: [role] }));
    t.equal((await caller.call('POST', '/v1/clients', { name: 'x', scopes: ['people:read'] })).status, 403, `${role} cannot create clients`);
    t.equal((await caller.call('GET', '/v1/audit-events')).status, 403, `${role} cannot read the audit log`);
  }
});

t.test('every change is audited with who, what and when', async (t) => {
  const org = uniqueOrg('audit');
  const admin = client(app, auth({ org, sub: 'hr-admin-7' }));
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Audited' });
  const person = await admin.must('POST', '/v1/people', personInput());
  await admin.must('PATCH', `/v1/people/${person.id}`, { name: 'Renamed' });
  await admin.call('POST', '/v1/programmes', { name: '' });
  const log = await admin.must('GET', '/v1/audit-events');
  t.same(
    log.items.map((e: { action: string; subjectId: string; actor: string }) => [e.action, e.subjectId, e.actor]),
    [
      ['createProgramme', programme.id, 'hr-admin-7'],
      ['createPerson', person.id, 'hr-admin-7'],
      ['updatePerson', person.id, 'hr-admin-7'],
    ],
    'refused requests leave no audit entry',
  );
  const other = await client(app, auth({ org: uniqueOrg() })).must('GET', '/v1/audit-events');
  t.same(other.items, [], 'another organisation sees none of it');
});

t.test('webhook endpoint changes are audited too', async (t) => {
  const org = uniqueOrg('audit-hooks');
  const admin = client(app, auth({ org, sub: 'hook-admin' }));
  const endpoint = await admin.must('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hook' });
  await admin.must('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
  const log = await admin.must('GET', `/v1/audit-events?subjectId=${endpoint.id}`);
  t.same(log.items.map((e: { action: string; subjectType: string }) => `${e.action}:${e.subjectType}`), ['createWebhookEndpoint:webhook_endpoint', 'rotateWebhookSecret:webhook_endpoint']);
});

t.test('every kind of change names what it changed: each use case declares its audit subject', async (t) => {
  const org = uniqueOrg('audit-subjects');
  const admin = client(app, auth({ org, sub: 'auditor' }));
  const world = await seedAdminWorld(admin, database);
  const rel = world.relationship.id;
  const goal = world.goal.id;
  const changes: [string, string, string | null, () => Promise<unknown>][] = [
    ['acceptFit', 'relationship', rel, () => admin.must('POST', `/v1/relationships/${rel}/acceptances`, { party: 'mentor' })],
    ['setAgreement', 'relationship', rel, () => admin.must('PUT', `/v1/relationships/${rel}/agreement`, agreementInput())],
    ['updateGoal', 'goal', goal, () => admin.must('PATCH', `/v1/relationships/${rel}/goals/${goal}`, { title: 'Lead the planning' })],
    ['agreeGoal', 'goal', goal, () => admin.must('POST', `/v1/relationships/${rel}/goals/${goal}/agree`, {})],
    ['completeMilestone', 'goal', goal, () => admin.must('POST', `/v1/relationships/${rel}/goals/${goal}/milestones/${world.goal.milestones[0].id}/complete`)],
    ['achieveGoal', 'goal', goal, () => admin.must('POST', `/v1/relationships/${rel}/goals/${goal}/achieve`, { achievedDespite: 'Done in spirit.' })],
    ['logSession', 'session', null, () => admin.must('POST', `/v1/relationships/${rel}/sessions`, { kind: 'regular', heldAt: now.toISOString(), minutes: 30 })],
    ['holdSession', 'session', world.session.id, () => admin.must('POST', `/v1/relationships/${rel}/sessions/${world.session.id}/held`, {})],
    ['recordReflection', 'reflection', null, () => admin.must('POST', `/v1/relationships/${rel}/reflections`, closingReflection('mentee'))],
    ['transitionRelationship', 'relationship', rel, () => admin.must('POST', `/v1/relationships/${rel}/transitions`, { to: 'withdrawn', reason: 'audited' })],
    ['upsertPerson', 'person', world.mentor.id, () => admin.must('PUT', `/v1/people/external/${world.mentor.externalId}`, personInput())],
    ['batchUpsertPeople', 'people', null, () => admin.must('POST', '/v1/people/batch', { people: [personInput({ externalId: 'B-1' })] })],
    ['revokeClient', 'client', world.integrationClient.id, () => admin.must('DELETE', `/v1/clients/${world.integrationClient.id}`)],
    ['updateWebhookEndpoint', 'webhook_endpoint', world.endpoint.id, () => admin.must('PATCH', `/v1/webhook-endpoints/${world.endpoint.id}`, { description: 'changed' })],
    ['recoverWebhookEndpoint', 'webhook_endpoint', world.endpoint.id, () => admin.must('POST', `/v1/webhook-endpoints/${world.endpoint.id}/recover`, { since: new Date(now.getTime() - 3_600_000).toISOString() })],
    ['resendEvent', 'event', world.event.id, () => admin.must('POST', `/v1/events/${world.event.id}/resend`, {})],
    ['deleteWebhookEndpoint', 'webhook_endpoint', world.endpoint.id, () => admin.must('DELETE', `/v1/webhook-endpoints/${world.endpoint.id}`)],
  ];
  const expected: [string, string, string | null][] = [
    ['createProgramme', 'programme', world.programme.id],
    ['createPerson', 'person', world.mentor.id],
    ['createPerson', 'person', world.mentee.id],
    ['openRelationship', 'relationship', rel],
    ['createGoal', 'goal', goal],
    ['planSession', 'session', world.session.id],
    ['createClient', 'client', world.integrationClient.id],
    ['createWebhookEndpoint', 'webhook_endpoint', world.endpoint.id],
    ['createLrsConfiguration', 'lrs_configuration', world.lrs.id],
    ['createMatchingRun', 'matching_run', world.matchingRun.id],
  ];
  for (const [action, subjectType, subjectId, change] of changes) {
    const result = (await change()) as { id?: string } | undefined;
    expected.push([action, subjectType, subjectId ?? result?.id ?? null]);
  }
  const log = await admin.must('GET', '/v1/audit-events?limit=100');
  t.same(
    log.items.map((e: { action: string; subjectType: string; subjectId: string | null; actor: string }) => [e.action, e.subjectType, e.subjectId]),
    expected,
    'one entry per change, in order, each naming the object it changed',
  );
  t.ok(log.items.every((e: { actor: string }) => e.actor === 'auditor'));
});
