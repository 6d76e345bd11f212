import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';

// PATCH /v1/programmes/{id}: a programme's name and settings change; its stage model only while no
// relationship has been opened in it (their stages and history are in its terms).
const { app, auth, database } = await buildTestApp(t);
const onPostgres = database.kind === 'postgres';

const sound = {
  key: 'three-step',
  name: 'Three steps',
  start: 'meet',
  stages: ['meet', 'work', 'wrap'],
  transitions: [
    { from: 'meet', to: 'work', guards: ['both_accepted'] },
    { from: 'work', to: 'wrap', guards: [] },
    { from: 'wrap', to: 'completed', guards: ['reflections_recorded'] },
  ],
};

async function openIn(api: ReturnType<typeof client>, programmeId: string) {
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  return api.call('POST', '/v1/relationships', { programmeId, mentorId: mentor.id, menteeId: mentee.id });
}

t.test('an admin renames a programme and changes its settings; null clears; the change is audited', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('programme-edit') }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Leadership', description: 'For new leads', endsOn: '2030-01-31' });
  const changed = await api.must('PATCH', `/v1/programmes/${programme.id}`, { name: 'Leadership 2027', description: null, discoveryRequired: true, goalHorizonMaxMonths: 12, endsOn: null });
  t.match(changed, { id: programme.id, name: 'Leadership 2027', description: null, discoveryRequired: true, goalHorizonMaxMonths: 12, endsOn: null, discoveryMinutes: programme.discoveryMinutes });
  t.same(changed.stageModel, programme.stageModel, 'the stage model stays');
  t.ok(changed.updatedAt >= programme.updatedAt);
  t.same(await api.must('GET', `/v1/programmes/${programme.id}`), changed, 'as read afterwards');
  const log = await api.must('GET', `/v1/audit-events?subjectId=${programme.id}`);
  t.same(log.items.map((e: { action: string }) => e.action), ['createProgramme', 'updateProgramme']);
});

t.test('the stage model changes while the programme has no relationships, and then no more', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('programme-model') }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Graduates' });
  t.equal((await api.must('PATCH', `/v1/programmes/${programme.id}`, { stageModelKey: 'five-stage' })).stageModel.key, 'five-stage');
  t.same((await api.must('PATCH', `/v1/programmes/${programme.id}`, { stageModel: sound })).stageModel, sound, 'a sound custom model');

  const opened = await openIn(api, programme.id);
  t.equal(opened.status, 201);
  t.equal(opened.body.stage, 'meet', 'a relationship starts on the model of the moment');

  const refused = await api.call('PATCH', `/v1/programmes/${programme.id}`, { stageModelKey: 'classic-4', name: 'Not applied' });
  t.equal(refused.status, 409);
  t.match(refused.body, { code: 'CONFLICT', reason: 'PROGRAMME_HAS_RELATIONSHIPS' });
  const after = await api.must('GET', `/v1/programmes/${programme.id}`);
  t.same(after.stageModel, sound, 'the model is unchanged');
  t.equal(after.name, 'Graduates', 'and nothing else of the refused change was applied');
  t.equal((await api.must('PATCH', `/v1/programmes/${programme.id}`, { stageModel: sound, name: 'Graduates 2027' })).name, 'Graduates 2027', 'the same model again is no change');
});

t.test('a stage model that cannot be used is refused as bad input, and nothing changes', async (t) => {
  const api = client(app, auth({ org: uniqueOrg('programme-bad') }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Untouched' });
  const unsound = { ...sound, transitions: sound.transitions.filter((move) => move.to !== 'completed') };
  const cases: [string, unknown][] = [
    ['an unsound custom model', { stageModel: unsound }],
    ['an unknown built-in', { stageModelKey: 'seven-stage' }],
    ['both a key and a model', { stageModelKey: 'five-stage', stageModel: sound }],
    ['a blank name', { name: '  ' }],
    ['an unknown field', { owner: 'someone' }],
  ];
  for (const [what, body] of cases) {
    const refused = await api.call('PATCH', `/v1/programmes/${programme.id}`, body);
    t.equal(refused.status, 400, what);
    t.ok(refused.body.errors?.length, `${what}: says which field`);
  }
  t.same(await api.must('GET', `/v1/programmes/${programme.id}`), programme, 'the programme is as it was');
});

t.test('members may not change programmes; another organisation cannot see them', async (t) => {
  const org = uniqueOrg('programme-who');
  const programme = await client(app, auth({ org })).must('POST', '/v1/programmes', { name: 'Ours' });
  t.equal((await client(app, auth({ org, roles: ['member'] })).call('PATCH', `/v1/programmes/${programme.id}`, { name: 'Mine now' })).status, 403);
  t.equal((await client(app, auth({ org: uniqueOrg('elsewhere') })).call('PATCH', `/v1/programmes/${programme.id}`, { name: 'Theirs now' })).status, 404);
});

t.test('GraphQL changes a programme through the same use case', async (t) => {
  const org = uniqueOrg('programme-gql');
  const api = client(app, auth({ org }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Via GraphQL' });
  const graph = gql(app, auth({ org }));
  const UPDATE = `mutation ($id: ID!, $input: UpdateProgrammeInput!) { updateProgramme(id: $id, input: $input) { id name stageModel { key } discoveryMinutes } }`;
  const { updateProgramme } = await graph.must(UPDATE, { id: programme.id, input: { name: 'Renamed', discoveryMinutes: 30, stageModelKey: 'five-stage' } });
  t.same(updateProgramme, { id: programme.id, name: 'Renamed', stageModel: { key: 'five-stage' }, discoveryMinutes: 30 });
  await openIn(api, programme.id);
  const refused = await graph.refusal(UPDATE, { id: programme.id, input: { stageModelKey: 'classic-4' } });
  t.equal(refused.extensions.code, 'CONFLICT');
  t.equal(refused.extensions.reason, 'PROGRAMME_HAS_RELATIONSHIPS');
});

t.test(`a model change racing an opening never leaves a relationship on a stage its model lacks (${database.kind})`, { skip: !onPostgres && 'PGlite runs one transaction at a time' }, async (t) => {
  const api = client(app, auth({ org: uniqueOrg('programme-race') }));
  for (let round = 0; round < 10; round++) {
    const programme = await api.must('POST', '/v1/programmes', { name: `Race ${round}` });
    const mentor = await api.must('POST', '/v1/people', personInput());
    const mentee = await api.must('POST', '/v1/people', personInput());
    const [changed, opened] = await Promise.all([
      api.call('PATCH', `/v1/programmes/${programme.id}`, { stageModelKey: 'five-stage' }),
      api.call('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id }),
    ]);
    t.equal(opened.status, 201, `round ${round}: the opening succeeds`);
    const now = await api.must('GET', `/v1/programmes/${programme.id}`);
    t.ok(now.stageModel.stages.includes(opened.body.stage), `round ${round}: its stage ${opened.body.stage} is a stage of ${now.stageModel.key}`);
    if (changed.status === 200) t.equal(opened.body.stage, 'rapport', `round ${round}: the model changed first, so it opened on the new one`);
    else t.equal(changed.status, 409, `round ${round}: or the opening came first and the change was refused`);
  }
});
