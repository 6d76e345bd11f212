import t from 'tap';
import { DIRECTORY_LIMITS } from '../../src/domain/schemas/directory.ts';
import { PERSON_LIMITS } from '../../src/domain/schemas/person.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { scimClient } from './scim-client.ts';

// SCIM User attributes have the REST people schema's bounds where they share a field, and every
// attribute kept as sent has its own: a longer value is a 400 invalidValue naming it, nothing is
// stored, and /Schemas states the bounds.
const { app, config } = await buildTestApp(t);
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const long = (n: number) => 'a'.repeat(n);
const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [CORE], userName, ...extra });

t.test('the shared fields have the REST bounds', async (t) => {
  t.equal(DIRECTORY_LIMITS.email, PERSON_LIMITS.email, 'email');
  t.equal(DIRECTORY_LIMITS.name, PERSON_LIMITS.name, 'name');
  t.equal(DIRECTORY_LIMITS.externalId, PERSON_LIMITS.externalId, 'externalId');
});

t.test('too long, anywhere in a User: 400 invalidValue naming the attribute; nothing stored', async (t) => {
  const scim = scimClient(app, config, { org: uniqueOrg('scim-limits'), scope: 'scim' });
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a 10,000-character primary email', user('a@example.com', { emails: [{ value: `${long(10_000)}@example.com`, primary: true }] }), /email/],
    ['a 10,000-character second email', user('b@example.com', { emails: [{ value: 'b@example.com', primary: true }, { value: `${long(10_000)}@example.com` }] }), /emails\.1\.value.*320/],
    ['a 900 KB title', user('c@example.com', { title: long(900_000) }), /title.*1000/],
    ['a 2,000-character title', user('d@example.com', { title: long(2_000) }), /title.*1000 characters/],
    ['a long userName', user(`${long(400)}@example.com`), /userName/],
    ['a long displayName', user('e@example.com', { displayName: long(201) }), /name/],
    ['a long given name', user('f@example.com', { name: { givenName: long(1_001) } }), /name\.givenName/],
    ['a long phone number', user('g@example.com', { phoneNumbers: [{ value: long(1_001), type: 'work' }] }), /phoneNumbers\.0\.value/],
    ['a long department', user('h@example.com', { schemas: [CORE, ENTERPRISE], [ENTERPRISE]: { department: long(201) } }), /department/],
    ['a long cost centre', user('i@example.com', { schemas: [CORE, ENTERPRISE], [ENTERPRISE]: { costCenter: long(1_001) } }), /costCenter/],
    ['a long externalId', user('j@example.com', { externalId: long(201) }), /externalId/],
    ['attributes nested too deep', user('k@example.com', { x: [[[[[[[[[['deep']]]]]]]]]] }), /nested/],
  ];
  for (const [label, body, names] of cases) {
    const response = await scim('POST', '/Users', body);
    t.equal(response.status, 400, label);
    t.match(response.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: names }, `${label}: invalidValue naming it`);
  }
  t.equal((await scim('GET', '/Users')).body.totalResults, 0, 'nothing was stored');
});

t.test('at the bounds: stored', async (t) => {
  const scim = scimClient(app, config, { org: uniqueOrg('scim-limits-ok'), scope: 'scim' });
  const email = `${long(DIRECTORY_LIMITS.email - '@example.com'.length)}@example.com`;
  const created = await scim('POST', '/Users', user('ok@example.com', { emails: [{ value: 'ok@example.com', primary: true }, { value: email }], title: long(DIRECTORY_LIMITS.kept) }));
  t.equal(created.status, 201);
  t.equal(created.body.title.length, DIRECTORY_LIMITS.kept, 'the title as sent');
});

t.test('PUT and PATCH are bounded the same way', async (t) => {
  const scim = scimClient(app, config, { org: uniqueOrg('scim-limits-change'), scope: 'scim' });
  const created = await scim('POST', '/Users', user('p@example.com', { title: 'Engineer' }));
  const put = await scim('PUT', `/Users/${created.body.id}`, user('p@example.com', { title: long(1_001) }));
  t.equal(put.status, 400, 'PUT');
  t.equal(put.body.scimType, 'invalidValue');
  const patch = await scim('PATCH', `/Users/${created.body.id}`, { schemas: [PATCH], Operations: [{ op: 'add', value: { emails: [{ value: `${long(10_000)}@example.com`, type: 'home' }] } }] });
  t.equal(patch.status, 400, 'PATCH');
  t.equal(patch.body.scimType, 'invalidValue');
  t.equal((await scim('GET', `/Users/${created.body.id}`)).body.title, 'Engineer', 'unchanged');
});

t.test('/Schemas states the bounds', async (t) => {
  const scim = scimClient(app, config, { org: uniqueOrg('scim-limits-schemas'), scope: 'scim' });
  const schema = (await scim('GET', `/Schemas/${CORE}`)).body as { description: string; attributes: { name: string; description: string; subAttributes?: { name: string; description: string }[] }[] };
  const attribute = (name: string) => schema.attributes.find((a) => a.name === name)!;
  t.match(attribute('userName').description, `At most ${DIRECTORY_LIMITS.userName} characters`);
  t.match(attribute('title').description, `At most ${DIRECTORY_LIMITS.kept} characters`);
  t.match(attribute('emails').subAttributes!.find((a) => a.name === 'value')!.description, `At most ${DIRECTORY_LIMITS.email} characters`);
  t.match(schema.description, `${DIRECTORY_LIMITS.keptBytes} bytes`);
  const enterprise = (await scim('GET', `/Schemas/${ENTERPRISE}`)).body as typeof schema;
  t.match(enterprise.attributes.find((a) => a.name === 'department')!.description, `At most ${DIRECTORY_LIMITS.department} characters`);
});
