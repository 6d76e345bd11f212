import t from 'tap';
import fc from 'fast-check';
import {
  BUILT_IN_MODELS,
  CLASSIC_4,
  DEFAULT_MODEL_KEY,
  evaluateGuard,
  FIVE_STAGE,
  getBuiltInModel,
  opensRound,
  validateStageModel,
  type GoalFacts,
  type GuardSnapshot,
  type StageModel,
} from '../../src/domain/stage-models/index.ts';
import { GUARDS } from '../../src/vocabulary.ts';

const base = (): StageModel => ({
  key: 'custom-3',
  name: 'Custom',
  start: 'hello',
  stages: ['hello', 'work', 'bye'],
  transitions: [
    { from: 'hello', to: 'work', guards: ['both_accepted'] },
    { from: 'work', to: 'bye', guards: ['goals_resolved'] },
    { from: 'bye', to: 'completed', guards: ['reflections_recorded'] },
  ],
});
const problemsOf = (input: unknown) => {
  const result = validateStageModel(input);
  return result.ok ? [] : result.problems;
};
const codesOf = (input: unknown) => problemsOf(input).map((problem) => problem.code);

t.test('built-in models', async (t) => {
  t.same(BUILT_IN_MODELS.map((model) => model.key), ['classic-4', 'five-stage']);
  t.equal(DEFAULT_MODEL_KEY, 'classic-4');
  for (const model of BUILT_IN_MODELS) t.same(validateStageModel(model), { ok: true, model }, `${model.key} is valid`);
  t.same(getBuiltInModel('five-stage'), FIVE_STAGE);
  t.not(getBuiltInModel('classic-4'), CLASSIC_4, 'a copy, not the shared object');
  t.equal(getBuiltInModel('nope'), undefined);
  t.throws(() => CLASSIC_4.stages.push('extra'), 'built-ins cannot be edited in place');
});

t.test('a valid custom model comes back without unknown properties', async (t) => {
  const result = validateStageModel({ ...base(), colour: 'red', transitions: [...base().transitions.map((tr) => ({ ...tr, x: 1 }))] });
  t.same(result, { ok: true, model: base() });
  t.ok(validateStageModel({ ...base(), transitions: base().transitions.map(({ from, to }) => ({ from, to })) }).ok, 'guards default to none');
});

t.test('each problem is detected with its code, naming what is wrong', async (t) => {
  const cases: [string, (model: StageModel) => unknown, string, string][] = [
    ['unreachable stage', (m) => ({ ...m, stages: [...m.stages, 'island'], transitions: [...m.transitions, { from: 'island', to: 'bye', guards: [] }] }), 'UNREACHABLE_STAGE', 'island'],
    ['dead end', (m) => ({ ...m, stages: [...m.stages, 'limbo'], transitions: [...m.transitions, { from: 'work', to: 'limbo', guards: [] }] }), 'NO_PATH_TO_COMPLETION', 'limbo'],
    ['only declined', (m) => ({ ...m, transitions: [...m.transitions.slice(0, 2), { from: 'bye', to: 'declined', guards: [] }] }), 'NO_PATH_TO_COMPLETION', 'bye'],
    ['unknown guard', (m) => ({ ...m, transitions: [{ from: 'hello', to: 'work', guards: ['coffee_had'] }, ...m.transitions.slice(1)] }), 'UNKNOWN_GUARD', 'coffee_had'],
    ['bad start', (m) => ({ ...m, start: 'nowhere' }), 'UNKNOWN_START_STAGE', 'nowhere'],
    ['duplicate stage', (m) => ({ ...m, stages: [...m.stages, 'work'] }), 'DUPLICATE_STAGE', 'work'],
    ['duplicate transition', (m) => ({ ...m, transitions: [...m.transitions, { from: 'work', to: 'bye', guards: [] }] }), 'DUPLICATE_TRANSITION', 'work → bye'],
    ['duplicate guard', (m) => ({ ...m, transitions: [{ from: 'hello', to: 'work', guards: ['both_accepted', 'both_accepted'] }, ...m.transitions.slice(1)] }), 'DUPLICATE_GUARD', 'both_accepted'],
    ['self loop', (m) => ({ ...m, transitions: [...m.transitions, { from: 'work', to: 'work', guards: [] }] }), 'SELF_LOOP', 'work'],
    ['end status as stage', (m) => ({ ...m, stages: [...m.stages, 'completed'] }), 'RESERVED_STAGE_NAME', 'completed'],
    ['bad stage name', (m) => ({ ...m, stages: ['Hello World', ...m.stages] }), 'INVALID_STAGE_NAME', 'Hello World'],
    ['explicit withdrawal', (m) => ({ ...m, transitions: [...m.transitions, { from: 'work', to: 'withdrawn', guards: [] }] }), 'IMPLICIT_WITHDRAWAL', 'work → withdrawn'],
    ['unknown from', (m) => ({ ...m, transitions: [...m.transitions, { from: 'ghost', to: 'bye', guards: [] }] }), 'UNKNOWN_FROM_STAGE', 'ghost'],
    ['unknown to', (m) => ({ ...m, transitions: [...m.transitions, { from: 'work', to: 'ghost', guards: [] }] }), 'UNKNOWN_TO_STAGE', 'ghost'],
    ['no stages', (m) => ({ ...m, stages: [], start: 'hello', transitions: [] }), 'STAGE_COUNT_OUT_OF_RANGE', '0'],
    ['too many stages', (m) => ({ ...m, stages: Array.from({ length: 21 }, (_, i) => `s${i}`), start: 's0', transitions: [] }), 'STAGE_COUNT_OUT_OF_RANGE', '21'],
    ['bad key', (m) => ({ ...m, key: '-Bad Key' }), 'INVALID_KEY', '-Bad Key'],
    ['blank name', (m) => ({ ...m, name: '  ' }), 'INVALID_NAME', 'Name'],
    ['stages not a list', (m) => ({ ...m, stages: 'hello,work' }), 'INVALID_STAGES', 'Stages'],
    ['transition not an object', (m) => ({ ...m, transitions: [...m.transitions, 'hello->bye'] }), 'INVALID_TRANSITION', 'transition'],
  ];
  for (const [label, edit, code, named] of cases) {
    const problems = problemsOf(edit(base()));
    t.ok(problems.some((problem) => problem.code === code && problem.message.includes(named)), `${label}: ${code} naming ${named}`);
    t.ok(problems.every((problem) => /^[A-Z][A-Z0-9_]*$/.test(problem.code)), `${label}: codes are SCREAMING_SNAKE`);
  }
  t.same(codesOf('classic-4'), ['INVALID_MODEL']);
  t.same(codesOf(null), ['INVALID_MODEL']);
});

t.test('all problems are reported together', async (t) => {
  const broken = {
    key: 'x',
    name: 'Broken',
    start: 'missing',
    stages: ['alpha', 'beta', 'beta', 'declined'],
    transitions: [
      { from: 'alpha', to: 'alpha', guards: [] },
      { from: 'alpha', to: 'completed', guards: ['magic'] },
      { from: 'alpha', to: 'completed', guards: [] },
    ],
  };
  t.same(codesOf(broken).sort(), [
    'DUPLICATE_STAGE', 'DUPLICATE_TRANSITION', 'INVALID_KEY', 'NO_PATH_TO_COMPLETION', 'RESERVED_STAGE_NAME',
    'SELF_LOOP', 'UNKNOWN_GUARD', 'UNKNOWN_START_STAGE',
  ]);
  t.match(problemsOf(broken).find((p) => p.code === 'NO_PATH_TO_COMPLETION'), { message: /"beta"/, path: 'stages[1]' });
  t.match(problemsOf(broken).find((p) => p.code === 'UNKNOWN_GUARD'), { message: /"magic".*alpha → completed/, path: 'transitions[1].guards[0]' });
});

const goal = (over: Partial<GoalFacts> = {}): GoalFacts => ({
  id: 'g1', title: 'Lead a team', status: 'agreed', dueOn: '2030-06-30', round: 1, smartFailures: [], tasks: [{ id: 't1', title: 'Shadow', dueOn: '2030-06-01' }], ...over,
});
const snap = (over: Partial<GuardSnapshot> = {}): GuardSnapshot => ({
  acceptedBy: [], discoveryRequired: false, discoverySessionsHeld: 0, agreementSet: false, round: 1, goals: [], closingReflectionsBy: [], ...over,
});

t.test('guards', async (t) => {
  t.same(evaluateGuard('both_accepted', snap({ acceptedBy: ['mentee'] })).map((b) => b.code), ['MENTOR_NOT_ACCEPTED']);
  t.same(evaluateGuard('both_accepted', snap({ acceptedBy: ['mentee', 'mentor'] })), []);
  t.same(evaluateGuard('agreement_set', snap({ agreementSet: true })), []);
  t.same(evaluateGuard('reflections_recorded', snap({ closingReflectionsBy: ['mentor'] })).map((b) => b.code), ['MENTEE_REFLECTION_MISSING']);

  const failing = goal({ id: 'g2', title: 'Get promoted', smartFailures: [{ code: 'NO_MEASURE', message: 'Add a metric.' }, { code: 'X', message: 'Second.' }] });
  const smart = evaluateGuard('smart_goal_agreed', snap({ goals: [goal(), failing, goal({ id: 'g3', status: 'draft', smartFailures: failing.smartFailures })] }));
  t.match(smart, [{ code: 'GOAL_FAILS_SMART', guard: 'smart_goal_agreed', target: { type: 'goal', id: 'g2' }, message: /Get promoted.*Add a metric\./ }]);
  t.equal(smart.length, 1, 'draft goals are not checked');
  t.same(evaluateGuard('smart_goal_agreed', snap({ goals: [goal({ status: 'draft' }), goal({ status: 'achieved' })] })).map((b) => b.code), ['NO_AGREED_GOAL']);

  const plan = evaluateGuard('action_plan_ready', snap({ goals: [
    goal(),
    goal({ id: 'g2', tasks: [] }),
    goal({ id: 'g3', tasks: [{ id: 'late', title: 'Late', dueOn: '2030-07-01' }, { id: 'undated', title: 'Someday', dueOn: null }, { id: 'same', title: 'On the day', dueOn: '2030-06-30' }] }),
    goal({ id: 'g4', dueOn: null, tasks: [{ id: 'free', title: 'Any time', dueOn: null }] }),
    goal({ id: 'g5', status: 'dropped', tasks: [] }),
  ] }));
  t.same(plan.map((b) => [b.code, b.target?.id]), [['GOAL_HAS_NO_TASKS', 'g2'], ['TASK_DUE_AFTER_GOAL', 'late'], ['TASK_NOT_DATED', 'undated']]);
  t.same(evaluateGuard('action_plan_ready', snap()).map((b) => b.code), ['NO_AGREED_GOAL'], 'no plan for no goal');

  const open = evaluateGuard('goals_resolved', snap({ goals: [goal(), goal({ id: 'g2', status: 'draft' }), goal({ id: 'g3', status: 'achieved' }), goal({ id: 'g4', status: 'dropped' })] }));
  t.same(open.map((b) => [b.code, b.target?.id]), [['GOAL_NOT_RESOLVED', 'g1']], 'draft goals were never agreed, so they are ignored');

  t.same(evaluateGuard('discovery_held', snap()), []);
  t.same(evaluateGuard('discovery_held', snap({ discoveryRequired: true })).map((b) => b.code), ['DISCOVERY_NOT_HELD']);
  t.same(evaluateGuard('discovery_held', snap({ discoveryRequired: true, discoverySessionsHeld: 1 })), []);
});

t.test('guards read the current round: a loop back asks for a goal agreed in it', async (t) => {
  // Round 2: the goal agreed in round 1 is still open, but it does not count for the new round.
  const carried = goal({ round: 1 });
  const inRound = evaluateGuard('smart_goal_agreed', snap({ round: 2, goals: [carried] }));
  t.same(inRound.map((b) => b.code), ['NO_GOAL_AGREED_IN_ROUND']);
  t.match(inRound[0]!.message, /round 2/, 'the blocker names the round');
  const withDraft = evaluateGuard('smart_goal_agreed', snap({ round: 2, goals: [carried, goal({ id: 'g2', title: 'Speak at the all-hands', status: 'draft', round: null })] }));
  t.match(withDraft, [{ code: 'NO_GOAL_AGREED_IN_ROUND', target: { type: 'goal', id: 'g2' }, message: /Speak at the all-hands/ }], 'and the draft that would satisfy it');
  t.same(evaluateGuard('smart_goal_agreed', snap({ round: 2, goals: [carried, goal({ id: 'g2', round: 2 })] })), [], 'a goal agreed in round 2 lets it through');
  t.same(
    evaluateGuard('smart_goal_agreed', snap({ round: 2, goals: [goal({ round: 1, smartFailures: [{ code: 'NO_MEASURE', message: 'Add a metric.' }] }), goal({ id: 'g2', round: 2 })] })).map((b) => b.code),
    ['GOAL_FAILS_SMART'],
    'every open agreed goal, of any round, still passes SMART',
  );
  t.same(evaluateGuard('smart_goal_agreed', snap({ round: 3, goals: [goal({ status: 'achieved', round: 3 })] })).map((b) => b.code), ['NO_GOAL_AGREED_IN_ROUND'], 'an achieved goal is not open work for the round');
  // Action planning considers the goals open in the round, carried ones included.
  t.same(evaluateGuard('action_plan_ready', snap({ round: 3, goals: [carried] })), []);
  t.same(evaluateGuard('reflections_recorded', snap({ round: 2, closingReflectionsBy: ['mentee'] })).map((b) => b.message), [
    'The mentor has not written a closing reflection in round 2 (reflections of earlier closures stay in the history but do not count).',
  ]);
});

t.test('a move back to an earlier stage opens a round; others do not', async (t) => {
  const loops = (model: StageModel) => model.transitions.filter((m) => opensRound(model, m.from, m.to)).map((m) => `${m.from}→${m.to}`);
  t.same(loops(CLASSIC_4), ['growth→negotiation', 'closure→negotiation']);
  t.same(loops(FIVE_STAGE), ['implementation→goal_setting', 'implementation→action_planning', 'closure→goal_setting']);
  t.notOk(opensRound(CLASSIC_4, 'closure', 'completed'), 'an end state is no round');
  t.ok(opensRound({ stages: ['a', 'b', 'c'] }, 'c', 'a'), 'a custom model alike');
});

// ---------- property: soundness on random graphs ----------

/** Independent of the implementation: plain BFS over an adjacency map. */
function bfs(origin: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set([origin]);
  const queue = [origin];
  while (queue.length > 0) {
    for (const node of next.get(queue.pop() as string) ?? []) {
      if (!seen.has(node)) {
        seen.add(node);
        queue.push(node);
      }
    }
  }
  return seen;
}

const randomGraph = fc.integer({ min: 1, max: 6 }).chain((size) => {
  const stages = Array.from({ length: size }, (_, index) => `s${index}`);
  const edge = fc.record({ from: fc.constantFrom(...stages), to: fc.constantFrom(...stages, 'completed', 'declined') })
    .filter((e) => e.from !== e.to);
  return fc.record({
    start: fc.constantFrom(...stages),
    edges: fc.uniqueArray(edge, { selector: (e) => `${e.from}>${e.to}`, maxLength: size * 2 }),
    guards: fc.uniqueArray(fc.constantFrom(...GUARDS), { maxLength: 2 }),
  }).map(({ start, edges, guards }): StageModel => ({ key: 'random', name: 'Random', start, stages, transitions: edges.map((e) => ({ ...e, guards })) }));
});

t.test('property: a model is valid exactly when every stage is reachable and can complete', async (t) => {
  let valid = 0;
  fc.assert(fc.property(randomGraph, (model) => {
    const forward = new Map<string, string[]>();
    const backward = new Map<string, string[]>();
    for (const { from, to } of model.transitions) {
      forward.set(from, [...(forward.get(from) ?? []), to]);
      backward.set(to, [...(backward.get(to) ?? []), from]);
    }
    const reached = bfs(model.start, forward);
    const completes = bfs('completed', backward);
    const unreachable = model.stages.filter((stage) => !reached.has(stage));
    const stuck = model.stages.filter((stage) => !completes.has(stage));
    const problems = problemsOf(model);
    if (problems.length === 0) valid++;
    const named = (code: string) => problems.filter((p) => p.code === code).map((p) => /"(s\d)"/.exec(p.message)?.[1]);
    return validateStageModel(model).ok === (unreachable.length === 0 && stuck.length === 0)
      && problems.every((p) => p.code === 'UNREACHABLE_STAGE' || p.code === 'NO_PATH_TO_COMPLETION')
      && JSON.stringify(named('UNREACHABLE_STAGE')) === JSON.stringify(unreachable)
      && JSON.stringify(named('NO_PATH_TO_COMPLETION')) === JSON.stringify(stuck);
  }), { numRuns: 1000 });
  t.ok(valid > 20, `enough random models are valid to mean something (${valid})`);
});
