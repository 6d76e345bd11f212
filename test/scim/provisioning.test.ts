import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { scimClient } from './scim-client.ts';

// The request sequences the identity providers document, replayed with their exact bodies:
// Okta's "SCIM 2.0 protocol reference" (developer.okta.com/docs/reference/scim/scim-20) and
// Microsoft Entra ID's "Build a SCIM endpoint" request/response examples and its documented
// non-compliant shapes (learn.microsoft.com, application-provisioning-config-problem-scim-compatibility).
const { app, config, auth } = await buildTestApp(t);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

t.test('Okta: check, create, read, update (PUT), deactivate (PATCH), reactivate', async (t) => {
  const org = uniqueOrg('okta');
  const scim = scimClient(app, config, { org, scope: 'scim' });

  // Test connection.
  const probe = await scim('GET', '/Users?startIndex=1&count=2');
  t.equal(probe.status, 200);
  t.match(probe.headers['content-type'], /^application\/scim\+json/);
  t.same(probe.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

  // Determine if the user already exists.
  const none = await scim('GET', '/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100');
  t.equal(none.status, 200);
  t.equal(none.body!.totalResults, 0);

  // Create the user (the body of Okta's guide, password included); the answer carries its attributes back.
  const oktaUser = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'test.user@okta.local',
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: '00ujl29u0le5T6Aj10h7',
  };
  const created = await scim('POST', '/Users', { ...oktaUser, groups: [], password: '1mz050nq', active: true });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const user = created.body!;
  t.equal(created.headers.location, user.meta.location, 'Location names the new user');
  t.match(user.meta.location, new RegExp(`/scim/v2/Users/${user.id}$`));
  t.equal(created.headers.etag, user.meta.version);
  t.match(user, { ...oktaUser, active: true, meta: { resourceType: 'User', created: String, lastModified: String } });
  t.notOk('password' in user, 'the password is neither kept nor returned');
  t.notMatch(JSON.stringify(user), '1mz050nq');

  // The same person through REST: one people domain.
  const admin = client(app, auth({ org }));
  const person = await admin.must('GET', `/v1/people/${user.id}`);
  t.match(person, { name: 'Test User', email: 'test.user@okta.local', externalId: '00ujl29u0le5T6Aj10h7', userName: 'test.user@okta.local', active: true, locale: 'en-US' });

  // Found by userName now, whatever its case.
  const found = await scim('GET', '/Users?filter=userName%20eq%20%22TEST.USER%40okta.local%22&startIndex=1&count=100');
  t.equal(found.body!.totalResults, 1);
  t.equal(found.body!.Resources[0].id, user.id);

  // Creating it again is a conflict.
  const again = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'test.user@okta.local', active: true });
  t.equal(again.status, 409);
  t.match(again.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness' });

  // Retrieve, then update with PUT (Okta's body: the whole user, a middle name added).
  const read = await scim('GET', `/Users/${user.id}`);
  t.equal(read.status, 200);
  const put = await scim('PUT', `/Users/${user.id}`, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id: user.id,
    userName: 'test.user@okta.local',
    name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' },
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work', display: 'test.user@okta.local' }],
    active: true,
    groups: [],
    meta: { resourceType: 'User' },
  });
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.match(put.body, { name: { givenName: 'Another', middleName: 'Excited', familyName: 'User' }, active: true });
  t.not(put.body!.meta.version, user.meta.version, 'the version moved');
  t.equal((await admin.must('GET', `/v1/people/${user.id}`)).name, 'Another User', "Tandem's name follows the name's parts when no displayName is sent");

  // Deactivate: Okta's path-less PATCH.
  const deactivated = await scim('PATCH', `/Users/${user.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: false } }],
  });
  t.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
  t.equal(deactivated.body!.active, false);
  t.equal((await scim('GET', '/Users?filter=active%20eq%20false')).body!.totalResults, 1);

  // Reactivate.
  const reactivated = await scim('PATCH', `/Users/${user.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', value: { active: true } }],
  });
  t.equal(reactivated.body!.active, true);

  // Import: page through users.
  const page = await scim('GET', '/Users?startIndex=1&count=100');
  t.match(page.body, { totalResults: 1, startIndex: 1, itemsPerPage: 1 });
});

t.test('Entra ID: create, get, query, update multi- and single-valued, disable ("False"), delete', async (t) => {
  const org = uniqueOrg('entra');
  const scim = scimClient(app, config, { org, scope: 'scim' });

  const created = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
    active: true,
    emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body!.id as string;
  t.match(created.body, {
    externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
    userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    active: true,
    emails: [{ value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com', type: 'work', primary: true }],
    meta: { resourceType: 'User' },
  });

  t.equal((await scim('GET', `/Users/${id}`)).status, 200);
  const missing = await scim('GET', '/Users/5171a35d82074e068ce2');
  t.equal(missing.status, 404);
  t.match(missing.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });

  const byQuery = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee"')}`);
  t.match(byQuery.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, Resources: [{ id }] });
  const zero = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`);
  t.match(zero.body, { totalResults: 0, Resources: [], startIndex: 1 });
  const byWorkEmail = await scim('GET', `/Users?filter=${encodeURIComponent('emails[type eq "work" and value eq "test_user_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com"]')}`);
  t.equal(byWorkEmail.body!.totalResults, 1, 'emails[type eq "work"] finds the user, without regard to case');

  // Update User [Multi-valued properties].
  const multi = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
    ],
  });
  t.equal(multi.status, 200, JSON.stringify(multi.body));
  t.match(multi.body, { name: { familyName: 'updatedFamilyName', givenName: 'givenName' }, emails: [{ value: 'updatedEmail@microsoft.com', type: 'work', primary: true }] });
  const admin = client(app, auth({ org }));
  t.match(await admin.must('GET', `/v1/people/${id}`), { email: 'updatedEmail@microsoft.com', name: 'givenName updatedFamilyName' });

  // Update User [Single-valued properties].
  const single = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
  });
  t.equal(single.body!.userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');

  // Entra's documented non-compliant shapes: Add of a single value, several replaces, and the
  // compliant path-less replace with attribute paths as keys.
  const nick = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Add', path: 'nickName', value: 'Babs' }],
  });
  t.equal(nick.body!.nickName, 'Babs');
  const several = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [
      { op: 'Replace', path: 'displayName', value: 'Pvlo' },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
      { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
      { op: 'Replace', path: 'externalId', value: 'Eqpj' },
      { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
    ],
  });
  t.equal(several.status, 200, JSON.stringify(several.body));
  t.match(several.body, { displayName: 'Pvlo', externalId: 'Eqpj', name: { givenName: 'Gtfd', familyName: 'Pkqf' }, [ENTERPRISE]: { employeeNumber: 'Eqpj' } });
  const compliant = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
      {
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq' },
      },
    ],
  });
  t.equal(compliant.status, 200, JSON.stringify(compliant.body));
  t.match(compliant.body, { displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua' }, emails: [{ value: 'TestMhvaes@test.microsoft.com' }], [ENTERPRISE]: { employeeNumber: 'Aklq' } });
  t.match(await admin.must('GET', `/v1/people/${id}`), { name: 'Bjfe', email: 'TestMhvaes@test.microsoft.com', employeeNumber: 'Aklq', externalId: 'Eqpj' });

  // The manager as a bare id string.
  const manager = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: 'b3f5a6e0-0000-4000-8000-000000000001' }],
  });
  t.equal(manager.status, 200, JSON.stringify(manager.body));
  t.same(manager.body![ENTERPRISE].manager, { value: 'b3f5a6e0-0000-4000-8000-000000000001' });

  // Disable User: the documented "False" string without the compliance flag, then the boolean.
  const disabled = await scim('PATCH', `/Users/${id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
  });
  t.equal(disabled.status, 200, JSON.stringify(disabled.body));
  t.equal(disabled.body!.active, false);
  t.equal((await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${single.body!.userName}"`)}`)).body!.Resources[0].active, false, 'a disabled user is still found, with active false');
  const enabled = await scim('PATCH', `/Users/${id}`, { Operations: [{ op: 'Replace', path: 'active', value: 'True' }], schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] });
  t.equal(enabled.body!.active, true);
  const disabledAgain = await scim('PATCH', `/Users/${id}`, { Operations: [{ op: 'Replace', path: 'active', value: false }], schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] });
  t.equal(disabledAgain.body!.active, false);

  // Delete User.
  const deleted = await scim('DELETE', `/Users/${id}`);
  t.equal(deleted.status, 204);
  t.equal(deleted.body, undefined);
  t.equal((await scim('GET', `/Users/${id}`)).status, 404, 'gone from SCIM');
  t.equal((await scim('DELETE', `/Users/${id}`)).status, 404);
  const kept = await admin.must('GET', `/v1/people/${id}`);
  t.match(kept, { active: false, userName: null }, 'the person stays for their history, inactive and unlinked');
});

t.test('a person the REST sync created is adopted by provisioning with the same externalId', async (t) => {
  const org = uniqueOrg('adopt');
  const admin = client(app, auth({ org }));
  const synced = await admin.must('PUT', '/v1/people/external/HR-4711', personInput({ name: 'Ada Lovelace', timezone: 'Europe/London', skills: ['maths'] }));
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const created = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', externalId: 'HR-4711', displayName: 'Ada King' });
  t.equal(created.status, 201);
  t.equal(created.body!.id, synced.id, 'the same person');
  t.equal(created.body!.timezone, 'Europe/London', 'the time zone the HR sync set is kept');
  const person = await admin.must('GET', `/v1/people/${synced.id}`);
  t.match(person, { name: 'Ada King', userName: 'ada@example.com', skills: ['maths'] });
  // And the REST sync updates the provisioned person in turn.
  await admin.must('PUT', '/v1/people/external/HR-4711', personInput({ name: 'Ada Lovelace', email: 'ada@example.org' }));
  const reread = await scim('GET', `/Users/${synced.id}`);
  t.match(reread.body, { userName: 'ada@example.com', emails: [{ value: 'ada@example.org' }] });
  t.not(reread.body!.meta.version, created.body!.meta.version, 'a REST change moves the SCIM version');
});

t.test('ETags: If-Match on PUT and PATCH', async (t) => {
  const org = uniqueOrg('etag');
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const created = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'etag@example.com' });
  const stale = created.headers.etag as string;
  const patch = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Engineer' }] };
  const fresh = await scim('PATCH', `/Users/${created.body!.id}`, patch, { 'if-match': stale });
  t.equal(fresh.status, 200);
  const refused = await scim('PATCH', `/Users/${created.body!.id}`, patch, { 'if-match': stale });
  t.equal(refused.status, 412);
  t.match(refused.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412' });
  const put = await scim('PUT', `/Users/${created.body!.id}`, { userName: 'etag@example.com' }, { 'if-match': stale });
  t.equal(put.status, 412);
});

t.test('refusals are SCIM error documents with a scimType', async (t) => {
  const org = uniqueOrg('errors');
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const cases: [string, Awaited<ReturnType<typeof scim>>, number, string | undefined][] = [
    ['no userName', await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] }), 400, 'invalidValue'],
    ['a bad email', await scim('POST', '/Users', { userName: 'x', emails: [{ value: 'not an email' }] }), 400, 'invalidValue'],
    ['a filter that does not parse', await scim('GET', `/Users?filter=${encodeURIComponent('userName eq')}`), 400, 'invalidFilter'],
    ['an unknown filter attribute', await scim('GET', `/Users?filter=${encodeURIComponent('title eq "x"')}`), 400, 'invalidFilter'],
    ['a text operator on a date', await scim('GET', `/Users?filter=${encodeURIComponent('meta.lastModified co "2026"')}`), 400, 'invalidFilter'],
    ['a PATCH without Operations', await scim('PATCH', '/Users/01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10', { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] }), 400, 'invalidSyntax'],
    ['a count that is not a number', await scim('GET', '/Users?count=ten'), 400, 'invalidValue'],
    ['an unknown user', await scim('GET', '/Users/not-a-uuid'), 404, undefined],
    ['an unknown endpoint', await scim('GET', '/Widgets'), 404, undefined],
  ];
  for (const [name, response, status, scimType] of cases) {
    t.equal(response.status, status, `${name}: ${JSON.stringify(response.body)}`);
    t.same(response.body!.schemas, ['urn:ietf:params:scim:api:messages:2.0:Error'], name);
    t.equal(response.body!.status, String(status), name);
    t.equal(response.body!.scimType, scimType, name);
    t.match(response.headers['content-type'], /^application\/scim\+json/, name);
  }
  const malformed = await app.inject({ method: 'POST', url: '/scim/v2/Users', headers: { authorization: `Bearer ${(await import('./scim-client.ts')).scimToken(config, { org, scope: 'scim' })}`, 'content-type': 'application/scim+json' }, payload: '{"userName": ' });
  t.equal(malformed.statusCode, 400);
  t.match(malformed.json(), { scimType: 'invalidSyntax' });
});

t.test('discovery documents', async (t) => {
  const scim = scimClient(app, config, { org: uniqueOrg('discovery'), scope: 'scim' });
  const spc = await scim('GET', '/ServiceProviderConfig');
  t.match(spc.body, { patch: { supported: true }, filter: { supported: true, maxResults: 200 }, etag: { supported: true }, bulk: { supported: false } });
  const types = await scim('GET', '/ResourceTypes');
  t.match(types.body, { totalResults: 1, Resources: [{ id: 'User', endpoint: '/Users', schemaExtensions: [{ schema: ENTERPRISE }] }] });
  const schemas = await scim('GET', '/Schemas');
  t.same(
    schemas.body!.Resources.map((s: { id: string }) => s.id),
    ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
  );
  t.equal((await scim('GET', `/Schemas/${ENTERPRISE}`)).body!.name, 'EnterpriseUser');
});
