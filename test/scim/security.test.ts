import { asc, eq } from 'drizzle-orm';
import t from 'tap';
import { outboxEvents } from '../../src/db/schema.ts';
import { gql } from '../graphql/gql-client.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, seedWorld } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { scimClient, type ScimCaller } from './scim-client.ts';

const { app, config, auth, database } = await buildTestApp(t);
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// The outbox itself, in the order its events were recorded.
const eventsOf = async (org: string) =>
  (await database.db.select().from(outboxEvents).where(eq(outboxEvents.orgId, org)).orderBy(asc(outboxEvents.seq))).map((e) => ({ type: e.type, data: e.payload as Record<string, unknown> }));

const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE], userName, name: { givenName: 'Grace', familyName: 'Hopper' }, emails: [{ value: `${userName}`, primary: true }], ...extra });

// Every SCIM operation, with what it needs: the permission and tenancy probes run them all.
const operations = (id: string) =>
  [
    ['GET', '/Users', undefined],
    ['GET', `/Users?filter=${encodeURIComponent('userName sw "g"')}`, undefined],
    ['POST', '/Users', newUser(`probe-${Math.random().toString(36).slice(2)}@example.com`)],
    ['GET', `/Users/${id}`, undefined],
    ['PUT', `/Users/${id}`, newUser('grace@example.com', { title: 'Rear Admiral' })],
    ['PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'Commodore' }] }],
    ['DELETE', `/Users/${id}`, undefined],
  ] as const;

t.test('who may call /scim/v2: a token with the scim scope, or an admin', async (t) => {
  const org = uniqueOrg('scim-perm');
  const callers: [string, ScimCaller, 'allowed' | 403][] = [
    ['integration with the scim scope', { org, scope: 'scim' }, 'allowed'],
    ['integration with scim among others', { org, scope: 'people:read scim' }, 'allowed'],
    ['integration without a scope claim (the whole role)', { org }, 'allowed'],
    ['admin', { org, roles: ['admin'], sub: 'admin-1' }, 'allowed'],
    ['integration with people scopes only', { org, scope: 'people:read people:write' }, 403],
    ['manager', { org, roles: ['manager'] }, 403],
    ['member', { org, roles: ['member'], sub: 'someone' }, 403],
  ];
  for (const [name, caller, expected] of callers) {
    const owner = scimClient(app, config, { org, scope: 'scim' });
    const user = await owner('POST', '/Users', newUser(`grace-${Math.random().toString(36).slice(2)}@example.com`));
    const scim = scimClient(app, config, caller);
    for (const [method, path, body] of operations(user.body!.id)) {
      const before = await rowCounts(database);
      const response = await scim(method, path, body);
      if (expected === 'allowed') t.ok(response.status < 300, `${name}: ${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
      else {
        t.equal(response.status, 403, `${name}: ${method} ${path}`);
        t.match(response.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '403' });
        t.same(await rowCounts(database), before, `${name}: ${method} ${path} changes nothing`);
      }
    }
  }
});

t.test('without a valid token: 401 as a SCIM error, WWW-Authenticate set', async (t) => {
  for (const authorization of [undefined, 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz']) {
    const response = await app.inject({ method: 'GET', url: '/scim/v2/Users', headers: authorization ? { authorization } : {} });
    t.equal(response.statusCode, 401, String(authorization));
    t.match(response.headers['www-authenticate'], /^Bearer/);
    t.match(response.json(), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  }
});

t.test("another organisation's users are not found, not listed, not changed", async (t) => {
  const owner = scimClient(app, config, { org: uniqueOrg('owner'), scope: 'scim' });
  const user = await owner('POST', '/Users', newUser('grace@example.com', { externalId: 'HR-1' }));
  const stranger = scimClient(app, config, { org: uniqueOrg('stranger'), scope: 'scim' });
  for (const [method, path, body] of operations(user.body!.id)) {
    if (!path.includes(user.body!.id)) continue;
    const before = await rowCounts(database);
    const response = await stranger(method, path, body);
    t.equal(response.status, 404, `${method} ${path}`);
    t.notMatch(JSON.stringify(response.body), 'grace@example.com', 'nothing of the user leaks');
    t.same(await rowCounts(database), before, `${method} ${path} changes nothing`);
  }
  for (const filter of ['userName eq "grace@example.com"', 'externalId eq "HR-1"', `id eq "${user.body!.id}"`, 'active eq true', 'userName pr']) {
    const list = await stranger('GET', `/Users?filter=${encodeURIComponent(filter)}`);
    t.equal(list.body!.totalResults, 0, filter);
  }
  // userName and externalId are unique per organisation only.
  t.equal((await stranger('POST', '/Users', newUser('grace@example.com', { externalId: 'HR-1' }))).status, 201);
  t.equal((await owner('GET', `/Users/${user.body!.id}`)).body!.userName, 'grace@example.com', "the owner's user is untouched");
});

t.test('de-provisioning: the person can no longer act; relationships follow each programme', async (t) => {
  const org = uniqueOrg('deprov');
  const admin = client(app, auth({ org }));
  const withdrawing = await seedWorld(admin, { menteeExternalId: 'MENTEE-7' });
  const keeping = await admin.must('POST', '/v1/programmes', { name: 'Keeps pairs', onPersonDeactivated: 'keep' });
  t.equal(keeping.onPersonDeactivated, 'keep');
  const viaGraphQL = await gql(app, auth({ org })).call(`mutation { createProgramme(input: { name: "Also keeps", onPersonDeactivated: keep }) { onPersonDeactivated } }`);
  t.same(viaGraphQL.data?.createProgramme, { onPersonDeactivated: 'keep' }, 'the same setting through GraphQL');
  t.equal(withdrawing.programme.onPersonDeactivated, 'withdraw', 'withdraw is the default');
  const otherMentor = await admin.must('POST', '/v1/people', personInput());
  const kept = await admin.must('POST', '/v1/relationships', { programmeId: keeping.id, mentorId: otherMentor.id, menteeId: withdrawing.mentee.id });

  // The identity provider takes over the HR-synced mentee, then deactivates them.
  const scim = scimClient(app, config, { org, scope: 'scim', sub: 'entra-provisioning' });
  const user = await scim('POST', '/Users', newUser('mentee7@example.com', { externalId: 'MENTEE-7' }));
  t.equal(user.body!.id, withdrawing.mentee.id);
  const member = client(app, auth({ org, roles: ['member'], sub: 'MENTEE-7' }));
  t.equal((await member.call('GET', `/v1/relationships/${kept.id}`)).status, 200, 'before: the mentee acts on their relationship');

  const off = await scim('PATCH', `/Users/${user.body!.id}`, { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
  t.equal(off.status, 200, JSON.stringify(off.body));

  const withdrawn = await admin.must('GET', `/v1/relationships/${withdrawing.relationship.id}`);
  t.equal(withdrawn.status, 'withdrawn');
  const history = await admin.must('GET', `/v1/relationships/${withdrawing.relationship.id}/transitions`);
  t.match(history.items.at(-1), { toStatus: 'withdrawn', reason: 'left the organisation', actor: 'entra-provisioning' });
  t.equal((await admin.must('GET', `/v1/relationships/${kept.id}`)).status, 'active', 'the keeping programme keeps it');

  const events = await eventsOf(org);
  t.ok(events.some((e) => e.type === 'relationship.withdrawn'));
  const flagged = events.find((e) => e.type === 'relationship.party_deactivated');
  t.match(flagged?.data, { relationshipId: kept.id, personId: user.body!.id, party: 'mentee', programmeId: keeping.id, version: kept.version });
  const deactivated = events.find((e) => e.type === 'person.deactivated');
  t.match(deactivated?.data, { personId: user.body!.id, deleted: false, withdrawn: [withdrawing.relationship.id], kept: [kept.id] });

  t.equal((await member.call('GET', `/v1/relationships/${kept.id}`)).status, 404, 'after: their token acts on nothing');
  t.equal((await member.call('POST', `/v1/relationships/${kept.id}/acceptances`, { party: 'mentee' })).status, 404);
  const graph = gql(app, auth({ org, roles: ['member'], sub: 'MENTEE-7' }));
  const seen = await graph.call(`query ($id: ID!) { relationship(id: $id) { id } relationships(first: 10) { nodes { id } } }`, { id: kept.id });
  t.same(seen.data?.relationships?.nodes, [], 'nor through GraphQL');
  t.equal(seen.data?.relationship ?? null, null);
  const pairing = await admin.call('POST', '/v1/relationships', { programmeId: keeping.id, mentorId: withdrawing.mentor.id, menteeId: user.body!.id });
  t.equal(pairing.status, 409, 'a de-provisioned person cannot be paired');
  t.match(pairing.body, { reason: 'PERSON_INACTIVE' });

  const on = await scim('PATCH', `/Users/${user.body!.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: true } }] });
  t.equal(on.body!.active, true);
  t.equal((await member.call('GET', `/v1/relationships/${kept.id}`)).status, 200, 'reactivated: they act again');
  const again = (await graph.call(`{ relationships(first: 10) { nodes { id } } }`)).data.relationships.nodes.map((n: { id: string }) => n.id);
  t.ok(again.includes(kept.id), 'and see their relationships through GraphQL again');
  t.equal((await eventsOf(org)).filter((e) => e.type === 'person.reactivated').length, 1);

  // DELETE de-provisions too (the kept relationship is flagged again, nothing is withdrawn twice).
  t.equal((await scim('DELETE', `/Users/${user.body!.id}`)).status, 204);
  const deletions = (await eventsOf(org)).filter((e) => e.type === 'person.deactivated');
  t.match(deletions.at(-1)?.data, { deleted: true, withdrawn: [], kept: [kept.id] });
  t.match(await admin.must('GET', `/v1/people/${user.body!.id}`), { active: false, userName: null, externalId: 'MENTEE-7' });
  // The same externalId provisioned again brings back the same person.
  const back = await scim('POST', '/Users', newUser('mentee7@example.com', { externalId: 'MENTEE-7' }));
  t.equal(back.status, 201);
  t.equal(back.body!.id, user.body!.id);
});
