import fc from 'fast-check';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { scimClient } from './scim-client.ts';

// sortBy and sortOrder (RFC 7644 §3.4.2.3): walking a filter's result page by page with a sort
// gives exactly the filter's result sorted in memory by the rules of the RFC: caseless attributes
// (userName, name.familyName) without case, externalId with it, both in code-point order with no
// locale; people without a value last ascending and first descending; ties in id order.
// Values are ASCII, so lower-casing is the same in JavaScript and in PostgreSQL.
const { app, config } = await buildTestApp(t);
const org = uniqueOrg('sorting');
const scim = scimClient(app, config, { org, scope: 'scim' });

// Small alphabets with both cases, so values tie without case and differ with it.
const word = fc.stringMatching(/^[abAB_z.-]{1,4}$/);
const people = fc.sample(
  fc.record({
    local: word,
    externalId: fc.option(fc.constantFrom('HR-1', 'hr-1', 'HR-2', 'Hr-2', 'a', 'B', 'b', 'Z9'), { nil: undefined }),
    familyName: fc.option(fc.constantFrom('Smith', 'smith', 'SMITH', 'Adams', 'adams', 'de Vries', 'Zhou', 'zhou'), { nil: undefined }),
    active: fc.boolean(),
  }),
  { numRuns: 36, seed: 1618 },
);

const ids: string[] = [];
const takenNames = new Set<string>();
const takenExternal = new Set<string>();
for (const [index, person] of people.entries()) {
  // Some userNames differ only in case from others' stems, so ties without case are broken by more text.
  const userName = `${person.local}${index % 4 === 0 ? '' : index}@example.com`;
  if (takenNames.has(userName.toLowerCase())) continue;
  takenNames.add(userName.toLowerCase());
  const externalId = person.externalId && !takenExternal.has(person.externalId) ? person.externalId : undefined;
  if (externalId) takenExternal.add(externalId);
  const created = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    ...(externalId ? { externalId } : {}),
    ...(person.familyName ? { name: { givenName: 'Pat', familyName: person.familyName } } : {}),
    active: person.active,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  ids.push(created.body!.id);
}
// Change some users afterwards, so meta.lastModified is not the creation order.
for (const id of ids.filter((_, i) => i % 3 === 1).reverse()) {
  const patched = await scim('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] });
  if (patched.status !== 200) throw new Error(JSON.stringify(patched.body));
}
t.ok(ids.length > 25, `${ids.length} users provisioned`);

type User = { id: string; userName: string; externalId?: string; name?: { familyName?: string }; meta: { created: string; lastModified: string } };
const KEYS: Record<string, (user: User) => string | undefined> = {
  userName: (u) => u.userName.toLowerCase(),
  externalId: (u) => u.externalId,
  'name.familyName': (u) => u.name?.familyName?.toLowerCase(),
  'meta.created': (u) => u.meta.created,
  'meta.lastModified': (u) => u.meta.lastModified,
};
// Code-point order: these values are ASCII, and timestamps are ISO strings of one length.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reference: the filter's users sorted in memory, missing values last ascending, first descending, ties by id. */
function sortInMemory(users: User[], sortBy: string, descending: boolean): string[] {
  const key = KEYS[sortBy]!;
  return [...users]
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      let order = x === undefined ? (y === undefined ? 0 : 1) : y === undefined ? -1 : compare(x, y);
      if (descending) order = -order;
      return order || compare(a.id, b.id);
    })
    .map((u) => u.id);
}

const FILTERS = ['', 'active eq true', 'active eq false', 'externalId pr', 'userName sw "a"', 'not (userName co "b")'];
const spelling = (attribute: string) =>
  fc.tuple(fc.boolean(), fc.array(fc.boolean(), { minLength: attribute.length, maxLength: attribute.length })).map(([urn, ups]) => {
    const cased = [...attribute].map((c, i) => (ups[i] ? c.toUpperCase() : c.toLowerCase())).join('');
    return urn ? `urn:ietf:params:scim:schemas:core:2.0:User:${cased}` : cased;
  });

t.test('a page walk with sortBy is the filter result sorted in memory', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...Object.keys(KEYS)).chain((sortBy) => fc.tuple(fc.constant(sortBy), spelling(sortBy))),
      fc.constantFrom(undefined, 'ascending', 'descending', 'Descending'),
      fc.constantFrom(...FILTERS),
      fc.integer({ min: 1, max: 9 }),
      async ([sortBy, spelled], sortOrder, filter, count) => {
        const filterQuery = filter ? `&filter=${encodeURIComponent(filter)}` : '';
        const all = await scim('GET', `/Users?count=200${filterQuery}`);
        if (all.status !== 200) throw new Error(`${filter} → ${all.status}`);
        const expected = sortInMemory(all.body!.Resources as User[], sortBy, sortOrder?.toLowerCase() === 'descending');
        const walked: string[] = [];
        for (let start = 1; start <= expected.length; start += count) {
          const query = `/Users?startIndex=${start}&count=${count}&sortBy=${encodeURIComponent(spelled)}${sortOrder ? `&sortOrder=${sortOrder}` : ''}${filterQuery}`;
          const page = await scim('GET', query);
          if (page.status !== 200) throw new Error(`${query} → ${page.status} ${JSON.stringify(page.body)}`);
          if (page.body!.totalResults !== expected.length) throw new Error(`${query}: totalResults ${page.body!.totalResults}, not ${expected.length}`);
          walked.push(...(page.body!.Resources as User[]).map((u) => u.id));
        }
        if (JSON.stringify(walked) !== JSON.stringify(expected)) {
          throw new Error(`sortBy=${spelled} sortOrder=${sortOrder} filter=${filter} count=${count}:\n database  ${walked}\n in memory ${expected}`);
        }
      },
    ),
    { numRuns: 120, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
  );
  t.pass('120 sorted page walks matched');
});

t.test('the order is what a user reads: caseless userName, missing family names last, descending reversed', async (t) => {
  const byName = (await scim('GET', '/Users?count=200&sortBy=userName')).body!.Resources as User[];
  const names = byName.map((u) => u.userName.toLowerCase());
  t.same(names, [...names].sort(compare), 'userName ascending, without case');
  const byFamily = (await scim('GET', '/Users?count=200&sortBy=name.familyName')).body!.Resources as User[];
  const firstMissing = byFamily.findIndex((u) => !u.name?.familyName);
  t.ok(firstMissing > 0 && byFamily.slice(firstMissing).every((u) => !u.name?.familyName), 'users without a family name come last ascending');
  const descending = (await scim('GET', '/Users?count=200&sortBy=name.familyName&sortOrder=descending')).body!.Resources as User[];
  t.notOk(descending[0]!.name?.familyName, 'and first descending');
  const unsorted = (await scim('GET', '/Users?count=200')).body!.Resources as User[];
  t.same(unsorted.map((u) => u.id), ids, 'without sortBy: creation order, as before');
  const ignored = (await scim('GET', '/Users?count=200&sortOrder=descending')).body!.Resources as User[];
  t.same(ignored.map((u) => u.id), ids, 'sortOrder alone changes nothing');
});

t.test('an attribute Users do not sort by, or a sortOrder that is neither, is a SCIM 400 invalidValue', async (t) => {
  for (const query of ['sortBy=emails', 'sortBy=displayName', 'sortBy=name', 'sortBy=password', 'sortBy=userName&sortOrder=up', 'sortOrder=sideways']) {
    const response = await scim('GET', `/Users?${query}`);
    t.equal(response.status, 400, query);
    t.match(response.body, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', scimType: 'invalidValue', detail: String }, query);
  }
  const config = await scim('GET', '/ServiceProviderConfig');
  t.same(config.body!.sort, { supported: true }, 'ServiceProviderConfig says sort is supported');
});
