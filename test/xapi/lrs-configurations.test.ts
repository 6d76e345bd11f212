import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { gql } from '../graphql/gql-client.ts';
import { webhookApi } from '../webhooks/helpers/world.ts';

// The SSRF guard on: an LRS endpoint is held to the webhook endpoints' rules.
const { app, auth, database } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: false } } });
const valid = { url: 'https://93.184.215.14/xapi', username: 'tandem', password: 'secret', homePage: 'https://www.example.com' };
const LRS_FIELDS = 'id url username version actorFormat homePage eventTypes description enabled failingSince';

t.test('REST: bad input and private addresses are refused with a problem, and nothing is stored', async (t) => {
  const api = webhookApi(app, auth({ org: uniqueOrg('lrs-rest'), roles: ['admin'] }));
  const before = await rowCounts(database);
  const refusals: [string, Record<string, unknown>, string][] = [
    ['loopback', { ...valid, url: 'https://127.0.0.1/xapi' }, 'url'],
    ['private network', { ...valid, url: 'https://10.1.2.3/xapi' }, 'url'],
    ['metadata address', { ...valid, url: 'https://169.254.169.254/latest' }, 'url'],
    ['plain http', { ...valid, url: 'http://93.184.215.14/xapi' }, 'url'],
    ['credentials in the URL', { ...valid, url: 'https://user:pw@93.184.215.14/xapi' }, 'url'],
    ['an unknown version', { ...valid, version: '0.95' }, 'version'],
    ['an event with no statement', { ...valid, eventTypes: ['person.erased'] }, 'eventTypes.0'],
    ['no password', { ...valid, password: undefined }, 'password'],
    ['a home page that is not a URL', { ...valid, homePage: 'example' }, 'homePage'],
    ['an unknown actor form', { ...valid, actorFormat: 'openid' }, 'actorFormat'],
  ];
  for (const [why, body, field] of refusals) {
    const res = await api.call('POST', '/v1/lrs-configurations', body);
    t.equal(res.status, 400, `${why}: 400`);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.ok(res.body.errors.some((e: { path: string }) => e.path === field || e.path === `body.${field}`), `${why}: names ${field} ${JSON.stringify(res.body.errors)}`);
  }
  t.same(await rowCounts(database), before, 'nothing stored');
});

t.test('REST: create, read without the password, change, disable and delete', async (t) => {
  const api = webhookApi(app, auth({ org: uniqueOrg('lrs-rest'), roles: ['integration'] }));
  const lrs = await api.must('POST', '/v1/lrs-configurations', { ...valid, version: '2.0.0', eventTypes: ['goal.achieved', 'session.held'] });
  t.same(lrs.eventTypes, ['goal.achieved', 'session.held']);
  t.notMatch(JSON.stringify(await api.must('GET', `/v1/lrs-configurations/${lrs.id}`)), 'secret', 'the password is never read back');
  const changed = await api.must('PATCH', `/v1/lrs-configurations/${lrs.id}`, { password: 'rotated', actorFormat: 'mbox', eventTypes: [], enabled: false });
  t.match(changed, { version: '2.0.0', username: 'tandem', actorFormat: 'mbox', enabled: false, disabledReason: /Disabled by/ });
  t.equal(changed.eventTypes.length, 8, 'an empty list means every type with a statement');
  t.equal((await api.call('PATCH', `/v1/lrs-configurations/${lrs.id}`, { url: 'https://192.168.0.10/xapi' })).status, 400, 'a private address is refused on update');
  t.equal((await api.call('PATCH', `/v1/lrs-configurations/${lrs.id}`, {})).status, 400, 'an empty change is refused');
  t.same((await api.must('GET', '/v1/lrs-configurations')).items.map((i: { id: string }) => i.id), [lrs.id]);
  t.equal((await api.call('DELETE', `/v1/lrs-configurations/${lrs.id}`)).status, 204);
  t.equal((await api.call('GET', `/v1/lrs-configurations/${lrs.id}`)).status, 404);
});

t.test('GraphQL: the same configurations, tenancy and permissions', async (t) => {
  const org = uniqueOrg('lrs-gql');
  const admin = gql(app, auth({ org, roles: ['admin'] }));
  const created = await admin.must(`mutation ($input: CreateLrsConfigurationInput!) { createLrsConfiguration(input: $input) { ${LRS_FIELDS} } }`, {
    input: { ...valid, actorFormat: 'mbox', eventTypes: ['task.completed'] },
  });
  const lrs = created.createLrsConfiguration;
  t.match(lrs, { version: '1.0.3', actorFormat: 'mbox', eventTypes: ['task.completed'], enabled: true });
  const listed = await admin.must(`{ lrsConfigurations { nodes { id } pageInfo { hasNextPage } } }`);
  t.same(listed.lrsConfigurations.nodes, [{ id: lrs.id }]);
  const updated = await admin.must(`mutation ($id: ID!) { updateLrsConfiguration(id: $id, input: { version: "2.0.0", description: "LRS of the academy" }) { version description } }`, { id: lrs.id });
  t.same(updated.updateLrsConfiguration, { version: '2.0.0', description: 'LRS of the academy' });

  const bad = await admin.refusal(`mutation ($id: ID!) { updateLrsConfiguration(id: $id, input: { version: "3" }) { id } }`, { id: lrs.id });
  t.equal(bad.extensions.code, 'BAD_USER_INPUT');
  const ssrf = await admin.refusal(`mutation { createLrsConfiguration(input: { url: "https://10.0.0.1/xapi", username: "u", password: "p", homePage: "https://example.com" }) { id } }`);
  t.equal(ssrf.extensions.code, 'BAD_USER_INPUT', 'a private address is refused before anything connects');

  const stranger = gql(app, auth({ org: uniqueOrg('lrs-stranger'), roles: ['admin'] }));
  t.equal((await stranger.refusal(`query ($id: ID!) { lrsConfiguration(id: $id) { id } }`, { id: lrs.id })).extensions.code, 'NOT_FOUND', "another organisation's LRS does not exist");
  t.equal((await stranger.refusal(`mutation ($id: ID!) { deleteLrsConfiguration(id: $id) }`, { id: lrs.id })).extensions.code, 'NOT_FOUND');
  const member = gql(app, auth({ org, roles: ['member'], sub: 'someone' }));
  t.equal((await member.refusal(`{ lrsConfigurations { nodes { id } } }`)).extensions.code, 'FORBIDDEN', 'members may not read them');
  const manager = gql(app, auth({ org, roles: ['manager'] }));
  t.equal((await manager.refusal(`mutation ($id: ID!) { deleteLrsConfiguration(id: $id) }`, { id: lrs.id })).extensions.code, 'FORBIDDEN', 'nor managers change them');

  t.same(await admin.must(`mutation ($id: ID!) { deleteLrsConfiguration(id: $id) }`, { id: lrs.id }), { deleteLrsConfiguration: lrs.id });
  t.same((await admin.must(`{ lrsConfigurations { nodes { id } } }`)).lrsConfigurations.nodes, []);
});
