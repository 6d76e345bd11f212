import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';
import { gql } from '../graphql/gql-client.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, seedAdminWorld, smartGoalInput } from '../helpers/fixtures.ts';

// Every request body field that names a person or another row of the organisation refuses an id
// of another organisation exactly as it refuses an id that exists nowhere: the same 4xx, naming the
// field, and nothing stored. So a caller learns nothing about other tenants, and nothing of theirs
// is kept. The fields are found from openapi.yaml's request bodies (every property named …Id or …Ids);
// a new one fails the inventory check until it is probed here.
const { app, auth, database } = await buildTestApp(t);

const org = uniqueOrg('home');
const api = client(app, auth({ org }));
const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
const home = await seedAdminWorld(api, database);
const away = await seedAdminWorld(stranger, database);
const nowhere = '0193aaaa-0000-7000-8000-000000000000';

interface Probe {
  route: string;
  field: string;
  send: (id: string) => Promise<{ status: number; body: { errors?: { path: string }[]; detail?: string } }>;
  /** The kind of row a 404's detail names, where the answer has no field errors. */
  names?: string;
  /** Read back after the refusal: the foreign id must not be there. */
  stored?: () => Promise<unknown>;
}

const person = async (id: string) => (await api.must('GET', `/v1/people/${id}`)) as { preferredMentorIds: string[] };

const probes: Probe[] = [
  {
    route: 'POST /v1/people',
    field: 'preferredMentorIds',
    send: (id) => api.call('POST', '/v1/people', personInput({ externalId: `F-${Math.random()}`, preferredMentorIds: [home.mentor.id, id] })),
    stored: async () => ((await api.must('GET', '/v1/people?limit=100')) as { items: { preferredMentorIds: string[] }[] }).items.flatMap((p) => p.preferredMentorIds),
  },
  {
    route: 'PUT /v1/people/external/{externalId}',
    field: 'preferredMentorIds',
    send: (id) => api.call('PUT', `/v1/people/external/${encodeURIComponent(home.mentee.externalId)}`, personInput({ preferredMentorIds: [id] })),
    stored: async () => (await person(home.mentee.id)).preferredMentorIds,
  },
  {
    route: 'POST /v1/people/batch',
    field: 'people.1.preferredMentorIds',
    send: (id) => api.call('POST', '/v1/people/batch', { people: [personInput({ externalId: `B-${Math.random()}` }), personInput({ externalId: `B-${Math.random()}`, preferredMentorIds: [id] })] }),
    stored: async () => ((await api.must('GET', '/v1/people?limit=100')) as { items: { preferredMentorIds: string[] }[] }).items.flatMap((p) => p.preferredMentorIds),
  },
  {
    route: 'PATCH /v1/people/{id}',
    field: 'preferredMentorIds',
    send: (id) => api.call('PATCH', `/v1/people/${home.mentee.id}`, { preferredMentorIds: [id] }),
    stored: async () => (await person(home.mentee.id)).preferredMentorIds,
  },
  { route: 'POST /v1/relationships', field: 'mentorId', send: (id) => api.call('POST', '/v1/relationships', { programmeId: home.programme.id, mentorId: id, menteeId: home.mentee.id }) },
  { route: 'POST /v1/relationships', field: 'menteeId', send: (id) => api.call('POST', '/v1/relationships', { programmeId: home.programme.id, mentorId: home.mentor.id, menteeId: id }) },
  { route: 'POST /v1/relationships', field: 'programmeId', names: 'programme', send: (id) => api.call('POST', '/v1/relationships', { programmeId: id, mentorId: home.mentor.id, menteeId: home.mentee.id }) },
  {
    route: 'POST /v1/relationships/{id}/transitions',
    field: 'referralMentorId',
    send: (id) => api.call('POST', `/v1/relationships/${home.relationship.id}/transitions`, { to: 'declined', reason: 'not a fit', referralMentorId: id }),
  },
  { route: 'POST /v1/smart-checks', field: 'relationshipId', names: 'relationship', send: (id) => api.call('POST', '/v1/smart-checks', { goal: smartGoalInput(), relationshipId: id }) },
  { route: 'POST /v1/smart-checks', field: 'programmeId', names: 'programme', send: (id) => api.call('POST', '/v1/smart-checks', { goal: smartGoalInput(), programmeId: id }) },
  { route: 'POST /v1/programmes/{id}/matching-runs', field: 'menteeIds', send: (id) => api.call('POST', `/v1/programmes/${home.programme.id}/matching-runs`, { menteeIds: [id] }) },
  { route: 'POST /v1/programmes/{id}/matching-runs', field: 'mentorIds', send: (id) => api.call('POST', `/v1/programmes/${home.programme.id}/matching-runs`, { mentorIds: [id] }) },
  {
    route: 'POST /v1/programmes/{id}/matching-runs/{runId}/acceptances',
    field: 'pairIds',
    send: (id) => api.call('POST', `/v1/programmes/${home.programme.id}/matching-runs/${home.matchingRun.id}/acceptances`, { pairIds: [id] }),
  },
  {
    route: 'POST /v1/relationships/{id}/goals',
    field: 'parentGoalId',
    send: (id) => api.call('POST', `/v1/relationships/${home.relationship.id}/goals`, smartGoalInput({ parentGoalId: id })),
    stored: async () => ((await api.must('GET', `/v1/relationships/${home.relationship.id}/goals`)) as { items: { parentGoalId: string | null }[] }).items.map((g) => g.parentGoalId),
  },
  {
    route: 'PATCH /v1/relationships/{id}/goals/{goalId}',
    field: 'parentGoalId',
    send: (id) => api.call('PATCH', `/v1/relationships/${home.relationship.id}/goals/${home.goal.id}`, { parentGoalId: id }),
    stored: async () => ((await api.must('GET', `/v1/relationships/${home.relationship.id}/goals`)) as { items: { parentGoalId: string | null }[] }).items.map((g) => g.parentGoalId),
  },
  { route: 'POST /v1/events/{id}/resend', field: 'endpointId', names: 'webhook endpoint', send: (id) => api.call('POST', `/v1/events/${home.event.id}/resend`, { endpointId: id }) },
];

// The id of the other organisation's row of the same kind.
const foreignIdFor: Record<string, string> = {
  preferredMentorIds: away.mentor.id,
  'people.1.preferredMentorIds': away.mentor.id,
  mentorId: away.mentor.id,
  menteeId: away.mentee.id,
  programmeId: away.programme.id,
  referralMentorId: away.mentor.id,
  relationshipId: away.relationship.id,
  menteeIds: away.mentee.id,
  mentorIds: away.mentor.id,
  pairIds: away.matchingRun.id,
  endpointId: away.endpoint.id,
  parentGoalId: away.goal.id,
};

for (const probe of probes) {
  t.test(`${probe.route} ${probe.field}: another organisation's id is refused like an unknown one`, async (t) => {
    const foreign = await probe.send(foreignIdFor[probe.field]!);
    const unknown = await probe.send(nowhere);
    t.ok(foreign.status >= 400 && foreign.status < 500, `foreign id: a 4xx (${foreign.status})`);
    t.equal(foreign.status, unknown.status, 'the same status as an id that exists nowhere');
    t.equal(foreign.body.detail?.replace(foreignIdFor[probe.field]!, '<id>'), unknown.body.detail?.replace(nowhere, '<id>'), 'the same detail');
    // The field by its path, or (a 404 for the one row a field names) the kind of row in the detail.
    const named = (foreign.body.errors ?? []).some((e) => e.path.startsWith(probe.field)) || new RegExp(`No ${probe.names ?? '-'} with id`).test(foreign.body.detail ?? '');
    t.ok(named, `the answer names ${probe.field}: ${JSON.stringify(foreign.body)}`);
    if (probe.stored) t.notOk(JSON.stringify(await probe.stored()).includes(foreignIdFor[probe.field]!), 'the foreign id is not stored');
  });
}

t.test('every body field that names a row is probed above', async (t) => {
  type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[] };
  const document = parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
    components: { schemas: Record<string, Schema> };
  };
  const resolve = (schema: Schema | undefined): Schema | undefined => (schema?.$ref ? resolve(document.components.schemas[schema.$ref.split('/').pop()!]) : schema);
  const idFields = (schema: Schema | undefined, path: string): string[] => {
    const resolved = resolve(schema);
    if (!resolved) return [];
    const own = Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => [...(/Ids?$/.test(name) ? [`${path}${name}`] : []), ...idFields(property, `${path}${name}.`)]);
    const nested = [resolved.items, ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.allOf ?? [])].flatMap((inner) => (inner === resolved.items ? idFields(inner, path.replace(/\.$/, '') + (path ? '.1.' : '')) : idFields(inner, path)));
    return [...own, ...nested];
  };
  const inContract = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).flatMap(([method, operation]) =>
      idFields(operation.requestBody?.content?.['application/json']?.schema, '')
        // externalId is the caller's own HRIS id, not a reference to a row.
        .filter((field) => !field.endsWith('externalId'))
        .map((field) => `${method.toUpperCase()} ${path} ${field}`),
    ),
  );
  const probed = new Set(probes.map((probe) => `${probe.route} ${probe.field}`));
  t.ok(inContract.length >= probes.length, `the contract's body fields that name a row were found (${inContract.length})`);
  t.same(inContract.filter((field) => !probed.has(field)), [], 'no body field naming a row goes unprobed');
});

t.test('GraphQL: createPerson and updatePerson refuse another organisation\'s preferred mentor', async (t) => {
  const graph = gql(app, auth({ org }));
  const created = await graph.call('mutation($input: CreatePersonInput!) { createPerson(input: $input) { id } }', { input: { name: 'Gql', externalId: `G-${Math.random()}`, preferredMentorIds: [away.mentor.id] } });
  t.equal(created.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'create: refused');
  t.equal(created.data?.createPerson ?? null, null, 'nothing created');
  const updated = await graph.call('mutation($id: ID!, $input: UpdatePersonInput!) { updatePerson(id: $id, input: $input) { id } }', { id: home.mentee.id, input: { preferredMentorIds: [away.mentor.id] } });
  t.equal(updated.errors?.[0]?.extensions.code, 'BAD_USER_INPUT', 'update: refused');
  t.notOk((await person(home.mentee.id)).preferredMentorIds.includes(away.mentor.id), 'not stored');
});
