import fc from 'fast-check';
import { filter as inMemory, stringify, type Filter } from 'scim2-parse-filter';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { scimClient } from './scim-client.ts';

// A filter's answer from the database equals the same filter applied in memory to the users as
// GET /Users presents them, by scim2-parse-filter's own evaluator: an independent reference for
// the SQL the domain builds (domain/people/directory-filter.ts). Attributes SCIM compares without
// regard to case (userName, emails, displayName; and our UUIDs) are lower-cased on both sides of
// the reference first.
const { app, config } = await buildTestApp(t);
const org = uniqueOrg('filters');
const scim = scimClient(app, config, { org, scope: 'scim' });

const CASELESS = new Set(['username', 'emails.value', 'displayname', 'id']);
// Small alphabets, so values share prefixes, infixes and suffixes; % and _ test LIKE escaping.
const word = fc.stringMatching(/^[abAB_%.-]{1,5}$/);

const people = fc.sample(
  fc.record({
    local: word,
    domain: fc.constantFrom('example.com', 'Example.org', 'a_b.io'),
    externalId: fc.option(fc.constantFrom('HR-1', 'hr-1', 'HR-2', 'X%1', 'X_1', 'ab'), { nil: undefined }),
    email: fc.option(word.map((w) => `${w.replace(/[%]/g, 'p')}@mail.example`), { nil: undefined }),
    displayName: fc.option(word, { nil: undefined }),
    active: fc.boolean(),
  }),
  { numRuns: 40, seed: 1234 },
);

const users: Record<string, unknown>[] = [];
const taken = new Set<string>();
for (const [index, person] of people.entries()) {
  const userName = `${person.local}${index % 3 === 0 ? '' : index}@${person.domain}`;
  if (taken.has(userName.toLowerCase())) continue;
  taken.add(userName.toLowerCase());
  const created = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    ...(person.externalId && !users.some((u) => u.externalId === person.externalId) ? { externalId: person.externalId } : {}),
    ...(person.email ? { emails: [{ value: person.email.replace(/^[._-]+/, 'x'), primary: true, type: 'work' }] } : {}),
    ...(person.displayName ? { displayName: person.displayName } : {}),
    active: person.active,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  users.push(created.body!);
}
// The users as a list presents them (meta.lastModified as stored).
const presented = (await scim('GET', '/Users?count=200')).body!.Resources as Record<string, unknown>[];
t.equal(presented.length, users.length, `${users.length} users provisioned`);

const lower = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(lower) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, lower(v)])) : typeof value === 'string' ? value.toLowerCase() : value;
const reference = presented.map((user) => ({
  ...user,
  id: String(user.id).toLowerCase(),
  userName: String(user.userName).toLowerCase(),
  ...(user.displayName ? { displayName: String(user.displayName).toLowerCase() } : {}),
  ...(user.emails ? { emails: lower(user.emails) } : {}),
}));

// Values seen in the data and pieces of them, so filters hit as well as miss.
const pieces = (values: string[]) => fc.oneof(fc.constantFrom(...values), fc.constantFrom(...values).chain((v) => fc.nat(v.length).chain((i) => fc.nat(v.length - i).map((n) => v.slice(i, i + n)))), word);
const randomCase = (text: fc.Arbitrary<string>) => text.chain((v) => fc.array(fc.boolean(), { minLength: v.length, maxLength: v.length }).map((ups) => [...v].map((c, i) => (ups[i] ? c.toUpperCase() : c)).join('')));
const texts = (attribute: string) => presented.flatMap((u) => {
  const value = attribute === 'emails.value' ? (u.emails as { value: string }[] | undefined)?.[0]?.value : u[attribute];
  return typeof value === 'string' ? [value] : [];
});
const stamps = presented.map((u) => (u.meta as { lastModified: string }).lastModified);
const shifted = fc.constantFrom(...stamps).chain((stamp) => fc.constantFrom(-1, 0, 1).map((ms) => new Date(Date.parse(stamp) + ms).toISOString()));

const textAttribute = fc.constantFrom('userName', 'externalId', 'emails.value', 'displayName', 'id');
const comparison: fc.Arbitrary<Filter> = fc.oneof(
  textAttribute.chain((attrPath) =>
    fc.record({
      op: fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew') as fc.Arbitrary<'eq'>,
      attrPath: fc.constant(attrPath),
      compValue: randomCase(pieces(texts(attrPath).length ? texts(attrPath) : ['x'])),
    }),
  ),
  fc.record({ op: fc.constantFrom('eq', 'ne') as fc.Arbitrary<'eq'>, attrPath: fc.constant('active'), compValue: fc.boolean() }),
  fc.record({ op: fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le') as fc.Arbitrary<'eq'>, attrPath: fc.constant('meta.lastModified'), compValue: shifted }),
  fc.record({ op: fc.constant('pr' as const), attrPath: fc.constantFrom('userName', 'externalId', 'emails.value', 'displayName', 'active', 'meta.lastModified') }),
  fc.record({
    op: fc.constant('[]' as const),
    attrPath: fc.constant('emails'),
    valFilter: fc.record({ op: fc.constantFrom('eq', 'co', 'sw') as fc.Arbitrary<'eq'>, attrPath: fc.constant('value'), compValue: randomCase(pieces(texts('emails.value').length ? texts('emails.value') : ['x'])) }),
  }),
);
const { tree } = fc.letrec<{ tree: Filter }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.record({ op: fc.constantFrom('and', 'or') as fc.Arbitrary<'and'>, filters: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ op: fc.constant('not' as const), filter: tie('tree') }),
  ),
}));

/** The reference: lower-case the compared value where the attribute is caseless, then evaluate in memory. */
function referenceFilter(filter: Filter, within?: string): Filter {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { ...filter, filters: filter.filters.map((f) => referenceFilter(f, within)) };
    case 'not':
      return { ...filter, filter: referenceFilter(filter.filter, within) };
    case '[]':
      return { ...filter, valFilter: referenceFilter(filter.valFilter, filter.attrPath) };
    case 'pr':
      return filter;
    default: {
      const path = (within ? `${within}.${filter.attrPath}` : filter.attrPath).toLowerCase();
      return CASELESS.has(path) && typeof filter.compValue === 'string' ? { ...filter, compValue: filter.compValue.toLowerCase() } : filter;
    }
  }
}

t.test('a filter answers what the same filter answers in memory', async (t) => {
  let hits = 0;
  await fc.assert(
    fc.asyncProperty(tree, async (filter) => {
      const text = stringify(filter);
      const response = await scim('GET', `/Users?count=200&filter=${encodeURIComponent(text)}`);
      if (response.status !== 200) throw new Error(`${text} → ${response.status} ${JSON.stringify(response.body)}`);
      const got = (response.body!.Resources as { id: string }[]).map((u) => u.id.toLowerCase()).sort();
      const expected = reference.filter(inMemory(referenceFilter(filter))).map((u) => u.id).sort();
      if (got.length) hits++;
      if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`${text}: database ${got.length} [${got}], in memory ${expected.length} [${expected}]`);
      if (response.body!.totalResults !== expected.length) throw new Error(`${text}: totalResults ${response.body!.totalResults}`);
    }),
    { numRuns: 300, seed: Number(process.env.FC_SEED ?? Date.now() % 100000) },
  );
  t.ok(hits > 30, `filters that matched someone: ${hits} of 300`);
});

t.test('paging: startIndex and count walk the same order, totalResults the whole', async (t) => {
  const all = (await scim('GET', '/Users?count=200')).body!.Resources.map((u: { id: string }) => u.id);
  for (const count of [1, 3, 7]) {
    const seen: string[] = [];
    for (let start = 1; start <= all.length; start += count) {
      const page = (await scim('GET', `/Users?startIndex=${start}&count=${count}`)).body!;
      t.equal(page.totalResults, all.length);
      t.equal(page.startIndex, start);
      t.equal(page.itemsPerPage, page.Resources.length);
      seen.push(...page.Resources.map((u: { id: string }) => u.id));
    }
    t.same(seen, all, `count ${count}`);
  }
  const beyond = (await scim('GET', `/Users?startIndex=${all.length + 5}&count=10`)).body!;
  t.match(beyond, { totalResults: all.length, itemsPerPage: 0, Resources: [] });
  t.match((await scim('GET', '/Users?startIndex=0&count=-4')).body, { startIndex: 1, itemsPerPage: 0, totalResults: all.length }, 'below 1 is 1; a negative count is 0 (RFC 7644 §3.4.2.4)');
});
