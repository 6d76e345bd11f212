import { sql } from 'drizzle-orm';
import t from 'tap';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { buildTestApp, testConfig, uniqueOrg } from '../helpers/app.ts';
import { openRelationships, webhookApi } from './helpers/world.ts';

const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const URL_OK = 'http://127.0.0.1:9/hook';
const ZERO = '00000000-0000-7000-8000-000000000000';

const counts = async () => {
  const [row] = await database.rows<{ endpoints: number; deliveries: number; events: number }>(
    sql`select (select count(*)::int from webhook_endpoints) as endpoints, (select count(*)::int from webhook_deliveries) as deliveries, (select count(*)::int from outbox_events) as events`,
  );
  return row!;
};

/** Every webhook route with a valid body, for a given endpoint and event. */
const routes = (endpointId: string, eventId: string) =>
  [
    ['POST', '/v1/webhook-endpoints', { url: URL_OK }],
    ['GET', '/v1/webhook-endpoints'],
    ['GET', `/v1/webhook-endpoints/${endpointId}`],
    ['PATCH', `/v1/webhook-endpoints/${endpointId}`, { description: 'changed' }],
    ['POST', `/v1/webhook-endpoints/${endpointId}/rotate-secret`],
    ['POST', `/v1/webhook-endpoints/${endpointId}/test`],
    ['POST', `/v1/webhook-endpoints/${endpointId}/recover`, { since: new Date(Date.now() - 3600_000).toISOString() }],
    ['GET', `/v1/webhook-endpoints/${endpointId}/attempts`],
    ['GET', '/v1/event-types'],
    ['GET', '/v1/events'],
    ['GET', `/v1/events/${eventId}`],
    ['GET', `/v1/events/${eventId}/attempts`],
    ['POST', `/v1/events/${eventId}/resend`, {}],
    ['DELETE', `/v1/webhook-endpoints/${endpointId}`],
  ] as const;

async function world() {
  const org = uniqueOrg('wh-sec');
  const admin = webhookApi(app, auth({ org, roles: ['admin'] }));
  const endpoint = await admin.must('POST', '/v1/webhook-endpoints', { url: URL_OK });
  await openRelationships(app, auth({ org, roles: ['admin'] }), 1);
  const [event] = await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org}`);
  return { org, endpointId: endpoint.id as string, eventId: event!.id };
}

t.test('admins and integration clients may use every webhook route', async (t) => {
  for (const role of ['admin', 'integration'] as const) {
    const { org, endpointId, eventId } = await world();
    const api = webhookApi(app, auth({ org, roles: [role] }));
    for (const [method, url, body] of routes(endpointId, eventId)) {
      const response = await api.call(method, url, body);
      t.ok(response.status < 300, `${role}: ${method} ${url} → ${response.status}`);
    }
  }
});

t.test('managers and members are refused with 403, and nothing is written', async (t) => {
  const { org, endpointId, eventId } = await world();
  const before = await counts();
  for (const role of ['manager', 'member'] as const) {
    const api = webhookApi(app, auth({ org, roles: [role] }));
    for (const [method, url, body] of routes(endpointId, eventId)) {
      const response = await api.call(method, url, body);
      t.equal(response.status, 403, `${role}: ${method} ${url}`);
      t.equal(response.body.type, '/problems/forbidden');
    }
  }
  t.same(await counts(), before);
});

t.test('integration clients need the webhooks:manage scope for endpoints and events:read for the event log', async (t) => {
  const { org, endpointId, eventId } = await world();
  const withScope = (scope: string) => webhookApi(app, { authorization: `Bearer ${signDevelopmentToken(testConfig(), { org, roles: ['integration'], sub: 'client', scope })}` });
  const readOnly = withScope('relationships:read');
  const manage = withScope('webhooks:manage');
  const events = withScope('events:read');
  for (const [method, url, body] of routes(endpointId, eventId)) {
    const eventLog = /^\/v1\/(event-types|events)(\/[^/]+)?$/.test(url);
    t.equal((await readOnly.call(method, url, body)).status, 403, `relationships:read only: ${method} ${url} → 403`);
    const allowed = eventLog ? events : manage;
    const refused = eventLog ? manage : events;
    t.ok((await allowed.call(method, url, body)).status < 300, `${eventLog ? 'events:read' : 'webhooks:manage'}: ${method} ${url} allowed`);
    if (method !== 'DELETE') t.equal((await refused.call(method, url, body)).status, 403, `${eventLog ? 'webhooks:manage' : 'events:read'}: ${method} ${url} → 403`);
  }
});

t.test('another organisation’s endpoints and events answer 404', async (t) => {
  const { endpointId, eventId } = await world();
  const before = await counts();
  const stranger = webhookApi(app, auth({ org: uniqueOrg('stranger'), roles: ['admin'] }));
  for (const [method, url, body] of routes(endpointId, eventId)) {
    if (!url.includes(endpointId) && !url.includes(eventId)) continue;
    const response = await stranger.call(method, url, body);
    t.equal(response.status, 404, `${method} ${url}`);
    t.equal(response.body.type, '/problems/not-found');
  }
  const resendElsewhere = await webhookApi(app, auth({ org: (await world()).org, roles: ['admin'] })).call('POST', `/v1/events/${eventId}/resend`, { endpointId });
  t.equal(resendElsewhere.status, 404, 'a foreign event cannot be resent from another organisation');
  t.same((await stranger.must('GET', '/v1/webhook-endpoints')).items, [], 'lists show only the own organisation');
  t.same((await stranger.must('GET', '/v1/events')).items, []);
  t.ok((await counts()).endpoints >= before.endpoints);
  t.equal((await counts()).deliveries, before.deliveries, 'no delivery queued by a stranger');
});

t.test('bad input is 400 with the failing fields, and nothing is written', async (t) => {
  const { org, endpointId, eventId } = await world();
  const api = webhookApi(app, auth({ org, roles: ['admin'] }));
  const before = await counts();
  const cases: [method: 'POST' | 'PATCH' | 'GET', url: string, body: unknown, field: RegExp][] = [
    ['POST', '/v1/webhook-endpoints', {}, /url/],
    ['POST', '/v1/webhook-endpoints', { url: 'not a url' }, /url/],
    ['POST', '/v1/webhook-endpoints', { url: URL_OK, eventTypes: ['relationship.exploded'] }, /eventTypes/],
    ['POST', '/v1/webhook-endpoints', { url: URL_OK, eventTypes: ['goal.agreed', 'goal.agreed'] }, /eventTypes/],
    ['POST', '/v1/webhook-endpoints', { url: URL_OK, secret: 'whsec_mine' }, /body/],
    ['POST', '/v1/webhook-endpoints', { url: URL_OK, description: 'x'.repeat(501) }, /description/],
    ['PATCH', `/v1/webhook-endpoints/${endpointId}`, {}, /body/],
    ['PATCH', `/v1/webhook-endpoints/${endpointId}`, { enabled: 'yes' }, /enabled/],
    ['PATCH', '/v1/webhook-endpoints/not-a-uuid', { enabled: true }, /id/],
    ['POST', `/v1/webhook-endpoints/${endpointId}/recover`, {}, /since/],
    ['POST', `/v1/webhook-endpoints/${endpointId}/recover`, { since: 'yesterday' }, /since/],
    ['POST', `/v1/webhook-endpoints/${endpointId}/recover`, { since: new Date().toISOString(), until: new Date(Date.now() - 1000).toISOString() }, /until/],
    ['POST', `/v1/webhook-endpoints/${endpointId}/recover`, { since: new Date(Date.now() - 15 * 86_400_000).toISOString() }, /since/],
    ['POST', `/v1/events/${eventId}/resend`, { endpointId: 'nope' }, /endpointId/],
    ['GET', `/v1/webhook-endpoints/${endpointId}/attempts?status=exploded`, undefined, /status/],
    ['GET', `/v1/webhook-endpoints/${endpointId}/attempts?since=yesterday`, undefined, /since/],
    ['GET', '/v1/events?type=nope', undefined, /type/],
    ['GET', '/v1/events?cursor=forged', undefined, /cursor/],
  ];
  for (const [method, url, body, field] of cases) {
    const response = await api.call(method, url, body);
    t.equal(response.status, 400, `${method} ${url} ${JSON.stringify(body)}`);
    t.equal(response.body.type, '/problems/validation-failed');
    t.match(JSON.stringify(response.body.errors), field, `names ${field}`);
  }
  t.same(await counts(), before, 'nothing written');
  const unknown = await api.call('POST', `/v1/events/${eventId}/resend`, { endpointId: ZERO });
  t.equal(unknown.status, 404, 'an unknown endpoint is 404');
});

t.test('a resend needs no body: it goes to every subscribed endpoint', async (t) => {
  const { org, eventId } = await world();
  const api = webhookApi(app, auth({ org, roles: ['admin'] }));
  await api.must('POST', '/v1/webhook-endpoints', { url: URL_OK, eventTypes: ['goal.agreed'] });
  const response = await api.call('POST', `/v1/events/${eventId}/resend`);
  t.equal(response.status, 202);
  t.equal(response.body.deliveryIds.length, 1, 'the endpoint of all types, not the goal.agreed one');
});

t.test('without a token every webhook route is 401', async (t) => {
  const { endpointId, eventId } = await world();
  const anonymous = webhookApi(app, {});
  for (const [method, url, body] of routes(endpointId, eventId)) {
    t.equal((await anonymous.call(method, url, body)).status, 401, `${method} ${url}`);
  }
});
