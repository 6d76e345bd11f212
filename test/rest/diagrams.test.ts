import { readFile } from 'node:fs/promises';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import t, { type Test } from 'tap';
import { BUILT_IN_MODELS, type StageModel } from '../../src/domain/stage-models/index.ts';
import { stageModelDot } from '../../src/domain/stage-models/diagram.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld } from '../helpers/fixtures.ts';

const { app, auth } = await buildTestApp(t);
const org = uniqueOrg('diagrams');
const admin = client(app, auth({ org }));

interface SvgGroup {
  id: string;
  classes: string[];
  title: string;
  texts: string[];
}

/** Parses the SVG as XML (it must be well formed) and lists Graphviz's node and edge groups. */
function readSvg(t: Test, svg: string): { groups: SvgGroup[]; texts: string[] } {
  t.equal(XMLValidator.validate(svg), true, 'the SVG is well-formed XML');
  const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['g', 'text'].includes(name) }).parse(svg);
  t.ok(document.svg, 'the root element is <svg>');
  const groups: SvgGroup[] = [];
  const texts: string[] = [];
  const textOf = (node: unknown) => String(typeof node === 'object' && node !== null ? ((node as { '#text'?: unknown })['#text'] ?? '') : node);
  const walk = (node: Record<string, unknown>) => {
    for (const text of (node.text as unknown[] | undefined) ?? []) texts.push(textOf(text));
    for (const group of (node.g as Record<string, unknown>[] | undefined) ?? []) {
      if (typeof group.class === 'string' && /\b(stage|end|move)\b/.test(group.class)) {
        groups.push({ id: String(group.id), classes: group.class.split(' '), title: textOf(group.title), texts: ((group.text as unknown[]) ?? []).map(textOf) });
      }
      walk(group);
    }
  };
  walk(document.svg);
  return { groups, texts };
}

function namesEverything(t: Test, model: StageModel, texts: string[]) {
  for (const stage of model.stages) t.ok(texts.includes(stage), `stage ${stage} is named`);
  for (const move of model.transitions) for (const guard of move.guards) t.ok(texts.includes(guard), `guard ${guard} of ${move.from} → ${move.to} is named`);
  for (const end of ['completed', 'withdrawn']) t.ok(texts.includes(end), `end state ${end} is named`);
}

const customModel: StageModel = {
  key: 'apprenticeship',
  name: 'Apprenticeship "with quotes" \\ and a backslash',
  start: 'welcome',
  stages: ['welcome', 'contract', 'practice', 'review'],
  transitions: [
    { from: 'welcome', to: 'contract', guards: ['both_accepted'] },
    { from: 'contract', to: 'practice', guards: ['agreement_set', 'smart_goal_agreed'] },
    { from: 'practice', to: 'review', guards: ['goals_resolved'] },
    { from: 'review', to: 'practice', guards: [] },
    { from: 'review', to: 'completed', guards: ['reflections_recorded'] },
  ],
};

for (const model of BUILT_IN_MODELS) {
  t.test(`the built-in ${model.key} renders as SVG naming every stage and guard`, async (t) => {
    const response = await app.inject({ url: `/v1/stage-models/${model.key}/diagram`, headers: auth({ org }) });
    t.equal(response.statusCode, 200);
    t.match(response.headers['content-type'], /^image\/svg\+xml/);
    const { groups, texts } = readSvg(t, response.body);
    namesEverything(t, model, texts);
    const loops = groups.filter((group) => group.classes.includes('loop')).map((group) => group.title);
    const expectedLoops = model.transitions.filter((move) => model.stages.indexOf(move.to) >= 0 && model.stages.indexOf(move.to) < model.stages.indexOf(move.from));
    t.ok(expectedLoops.length > 0, 'the model has loops');
    t.same(loops.sort(), expectedLoops.map((move) => `${move.from}->${move.to}`).sort(), 'every move back to an earlier stage is drawn as a loop');
    t.same(groups.filter((group) => group.classes.includes('current') || group.classes.includes('taken')), [], 'a model alone highlights nothing');
  });
}

t.test('the DOT source on request: ?format=dot or Accept: text/vnd.graphviz', async (t) => {
  const expected = stageModelDot(BUILT_IN_MODELS[0]!);
  const byQuery = await app.inject({ url: '/v1/stage-models/classic-4/diagram?format=dot', headers: auth({ org }) });
  t.equal(byQuery.statusCode, 200);
  t.match(byQuery.headers['content-type'], /^text\/vnd\.graphviz/);
  t.equal(byQuery.body, expected);
  const byAccept = await app.inject({ url: '/v1/stage-models/classic-4/diagram', headers: { ...auth({ org }), accept: 'text/vnd.graphviz, image/svg+xml;q=0.5' } });
  t.equal(byAccept.body, expected);
  const svgFirst = await app.inject({ url: '/v1/stage-models/classic-4/diagram', headers: { ...auth({ org }), accept: 'image/svg+xml, text/vnd.graphviz' } });
  t.match(svgFirst.headers['content-type'], /^image\/svg\+xml/);
  t.equal(svgFirst.headers.vary, 'accept');
});

t.test('refusals are problems', async (t) => {
  const unknown = await admin.call('GET', '/v1/stage-models/no-such-model/diagram');
  t.equal(unknown.status, 404);
  t.equal(unknown.body.type, '/problems/not-found');
  const badFormat = await admin.call('GET', '/v1/stage-models/classic-4/diagram?format=png');
  t.equal(badFormat.status, 400);
  t.match(badFormat.headers['content-type'], /problem\+json/);
  const noToken = await app.inject({ url: '/v1/stage-models/classic-4/diagram' });
  t.equal(noToken.statusCode, 401);
  const foreignProgramme = await admin.must('POST', '/v1/programmes', { name: 'Mine' });
  const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
  t.equal((await stranger.call('GET', `/v1/programmes/${foreignProgramme.id}/stage-model/diagram`)).status, 404, 'another organisation sees no diagram');
});

t.test("a programme's custom model renders, quotes and backslashes in its name included", async (t) => {
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Apprentices', stageModel: customModel });
  const response = await app.inject({ url: `/v1/programmes/${programme.id}/stage-model/diagram`, headers: auth({ org }) });
  t.equal(response.statusCode, 200);
  const { groups, texts } = readSvg(t, response.body);
  namesEverything(t, customModel, texts);
  t.ok(texts.includes(`${customModel.name} (${customModel.key})`), 'the title keeps the name as written');
  t.same(groups.filter((group) => group.classes.includes('loop')).map((group) => group.title), ['review->practice']);
  const builtIn = await admin.must('POST', '/v1/programmes', { name: 'Five', stageModelKey: 'five-stage' });
  const dot = await admin.call('GET', `/v1/programmes/${builtIn.id}/stage-model/diagram?format=dot`);
  t.equal(dot.body, stageModelDot(BUILT_IN_MODELS[1]!), 'a programme on a built-in model draws that model');
});

t.test("a relationship's diagram fills its stage and draws the path it took", async (t) => {
  const world = await seedWorld(admin);
  const id = world.relationship.id;
  const move = (to: string) => admin.must('POST', `/v1/relationships/${id}/transitions`, { to, override: true, reason: 'diagram test' });
  await move('negotiation');
  await move('growth');
  await move('negotiation');
  await move('growth');

  const svg = await admin.call('GET', `/v1/relationships/${id}/diagram`);
  t.equal(svg.status, 200);
  const { groups, texts } = readSvg(t, svg.body);
  const current = groups.filter((group) => group.classes.includes('current'));
  t.same(current.map((group) => group.title), ['growth'], 'the current stage, and only it, is filled');
  const taken = groups.filter((group) => group.classes.includes('taken')).map((group) => group.title).sort();
  t.same(taken, ['__start->initiation', 'growth->negotiation', 'initiation->negotiation', 'negotiation->growth'], 'the moves of its history are drawn');
  t.ok(texts.includes('taken 2×'), 'a move made twice says so');
  t.same(groups.filter((group) => group.classes.includes('visited')).map((group) => group.title).sort(), ['initiation', 'negotiation'], 'stages passed through are marked');

  await move('withdrawn');
  const ended = readSvg(t, (await admin.call('GET', `/v1/relationships/${id}/diagram`)).body);
  t.same(ended.groups.filter((group) => group.classes.includes('current')).map((group) => group.title), ['withdrawn'], 'an ended relationship stands on its end state');

  const member = client(app, auth({ org, roles: ['member'], sub: 'not-a-party' }));
  t.equal((await member.call('GET', `/v1/relationships/${id}/diagram`)).status, 404, 'a member who is not a party sees nothing');
});

t.test('DOT text cannot be broken out of by a name', async (t) => {
  const dot = stageModelDot({ ...customModel, name: 'x"]; evil -> node [label="y' });
  t.match(dot, /label="x\\"\]; evil -> node \[label=\\"y \(apprenticeship\)"/);
  t.equal(dot.split('\n').filter((line) => line.includes('evil')).length, 1);
});

t.test('the reference at /docs shows the built-in models: public pictures, the same as docs/stage-models/', async (t) => {
  const document = (await app.inject({ url: '/openapi.json' })).json() as { info: { description: string } };
  for (const model of BUILT_IN_MODELS) {
    const path = `/diagrams/stage-models/${model.key}.svg`;
    t.ok(document.info.description.includes(`](${path})`), `the reference's introduction shows ${model.key}`);
    const picture = await app.inject({ url: path });
    t.equal(picture.statusCode, 200, 'no token needed: it is product documentation');
    t.match(picture.headers['content-type'], /^image\/svg\+xml/);
    t.equal(picture.body, await readFile(new URL(`../../docs/stage-models/${model.key}.svg`, import.meta.url), 'utf8'), 'the README shows the same picture (npm run docs:diagrams)');
  }
  const unknown = await app.inject({ url: '/diagrams/stage-models/my-secret-model.svg' });
  t.equal(unknown.statusCode, 404);
  t.match(unknown.headers['content-type'], /problem\+json/);
});
