import { isDeepStrictEqual } from 'node:util';
import t from 'tap';
import fc from 'fast-check';
import {
  allowedMoves,
  CLASSIC_4,
  evaluateGuard,
  FIVE_STAGE,
  nextStages,
  planMove,
  validateStageModel,
  type GuardSnapshot,
  type MovePlan,
  type StageModel,
} from '../../src/domain/stage-models/index.ts';
import { GOAL_STATUSES, GUARDS, PARTIES, RELATIONSHIP_STATUSES, type RelationshipStatus } from '../../src/vocabulary.ts';

const EMPTY: GuardSnapshot = {
  acceptedBy: [], discoveryRequired: false, discoverySessionsHeld: 0, agreementSet: false, round: 1, goals: [], closingReflectionsBy: [],
};
// Something done on every front, nothing finished: each guard fails for a reason other than "nothing there".
const UNFINISHED: GuardSnapshot = {
  acceptedBy: ['mentor'], discoveryRequired: true, discoverySessionsHeld: 0, agreementSet: false, round: 1, closingReflectionsBy: ['mentee'],
  goals: [{
    id: 'g1', title: 'Lead a team', status: 'agreed', dueOn: '2030-06-30', round: 1,
    smartFailures: [{ code: 'NO_MEASURE', message: 'No metric or dated milestones.' }],
    tasks: [{ id: 't1', title: 'Shadow a lead', dueOn: '2030-07-15' }, { id: 't2', title: 'Read a book', dueOn: null }],
  }],
};
const workingGoal = { id: 'g1', title: 'Lead a team', status: 'agreed' as const, dueOn: '2030-06-30', round: 1, smartFailures: [], tasks: [{ id: 't1', title: 'Shadow a lead', dueOn: '2030-06-01' }] };
const WORKING: GuardSnapshot = {
  acceptedBy: ['mentor', 'mentee'], discoveryRequired: true, discoverySessionsHeld: 1, agreementSet: true, round: 1,
  closingReflectionsBy: ['mentee', 'mentor'], goals: [workingGoal],
};
const RESOLVED: GuardSnapshot = { ...WORKING, goals: [{ ...workingGoal, status: 'achieved' }] };

interface Row { from: string; to: string; empty: string[]; unfinished: string[]; satisfiedBy?: GuardSnapshot }
const ACCEPT = ['MENTOR_NOT_ACCEPTED', 'MENTEE_NOT_ACCEPTED'];
const ACCEPT_UNFINISHED = ['MENTEE_NOT_ACCEPTED', 'DISCOVERY_NOT_HELD'];
const AGREE = ['AGREEMENT_NOT_SET', 'NO_AGREED_GOAL'];
const AGREE_UNFINISHED = ['AGREEMENT_NOT_SET', 'GOAL_FAILS_SMART'];

// Written out from DESIGN.md §1, independently of built-in.ts.
const TABLES: [StageModel, Row[]][] = [
  [CLASSIC_4, [
    { from: 'initiation', to: 'negotiation', empty: ACCEPT, unfinished: ACCEPT_UNFINISHED },
    { from: 'negotiation', to: 'growth', empty: AGREE, unfinished: AGREE_UNFINISHED },
    { from: 'growth', to: 'negotiation', empty: [], unfinished: [] },
    { from: 'growth', to: 'closure', empty: [], unfinished: ['GOAL_NOT_RESOLVED'], satisfiedBy: RESOLVED },
    { from: 'closure', to: 'negotiation', empty: [], unfinished: [] },
    { from: 'closure', to: 'completed', empty: ['MENTOR_REFLECTION_MISSING', 'MENTEE_REFLECTION_MISSING'], unfinished: ['MENTOR_REFLECTION_MISSING'] },
    { from: 'initiation', to: 'declined', empty: [], unfinished: [] },
  ]],
  [FIVE_STAGE, [
    { from: 'rapport', to: 'goal_setting', empty: ACCEPT, unfinished: ACCEPT_UNFINISHED },
    { from: 'goal_setting', to: 'action_planning', empty: AGREE, unfinished: AGREE_UNFINISHED },
    { from: 'action_planning', to: 'implementation', empty: ['NO_AGREED_GOAL'], unfinished: ['TASK_DUE_AFTER_GOAL', 'TASK_NOT_DATED'] },
    { from: 'implementation', to: 'goal_setting', empty: [], unfinished: [] },
    { from: 'implementation', to: 'action_planning', empty: [], unfinished: [] },
    { from: 'implementation', to: 'closure', empty: [], unfinished: ['GOAL_NOT_RESOLVED'], satisfiedBy: RESOLVED },
    { from: 'closure', to: 'goal_setting', empty: [], unfinished: [] },
    { from: 'closure', to: 'completed', empty: ['MENTOR_REFLECTION_MISSING', 'MENTEE_REFLECTION_MISSING'], unfinished: ['MENTOR_REFLECTION_MISSING'] },
    { from: 'rapport', to: 'declined', empty: [], unfinished: [] },
  ]],
];

const codesOf = (plan: MovePlan) => (plan.kind === 'blocked' ? plan.blockers.map((blocker) => blocker.code) : []);
const okPlan = (from: string, to: string): MovePlan =>
  to === 'completed' || to === 'declined' || to === 'withdrawn'
    ? { kind: 'ok', toStage: from, toStatus: to }
    : { kind: 'ok', toStage: to, toStatus: 'active' };

for (const [model, rows] of TABLES) {
  t.test(`${model.key}: every from × to pair`, async (t) => {
    const targets = [...model.stages, 'completed', 'declined', 'withdrawn'];
    for (const from of model.stages) {
      const at = { stage: from, status: 'active' as const };
      const allowed = [...rows.filter((row) => row.from === from).map((row) => row.to), 'withdrawn'];
      t.same(allowedMoves(model, at), allowed, `allowed from ${from}`);
      for (const to of targets) {
        const move = `${from} → ${to}`;
        const row = rows.find((candidate) => candidate.from === from && candidate.to === to);
        if (to === 'withdrawn' || row) {
          t.same(codesOf(planMove(model, at, to, EMPTY)), row?.empty ?? [], `${move}: blockers with nothing done`);
          t.same(codesOf(planMove(model, at, to, UNFINISHED)), row?.unfinished ?? [], `${move}: blockers with work unfinished`);
          t.same(planMove(model, at, to, row?.satisfiedBy ?? WORKING), okPlan(from, to), `${move}: ok when satisfied`);
          t.same(planMove(model, at, to, UNFINISHED, { override: true }), okPlan(from, to), `${move}: override skips guards`);
        } else {
          const refused = { kind: 'not_allowed', allowed, reason: 'no_such_move' };
          t.same(planMove(model, at, to, WORKING), refused, `${move}: not allowed`);
          t.same(planMove(model, at, to, WORKING, { override: true }), refused, `${move}: override does not open a move`);
        }
      }
    }
  });

  t.test(`${model.key}: nothing moves once the relationship has ended`, async (t) => {
    for (const status of RELATIONSHIP_STATUSES.filter((candidate) => candidate !== 'active')) {
      for (const stage of model.stages) {
        const at = { stage, status };
        t.same(allowedMoves(model, at), []);
        t.same(nextStages(model, at, WORKING), []);
        for (const to of [...model.stages, 'completed', 'declined', 'withdrawn']) {
          t.same(planMove(model, at, to, WORKING, { override: true }), { kind: 'not_allowed', allowed: [], reason: 'not_active' });
        }
      }
    }
  });

  t.test(`${model.key}: discovery_held blocks only when the programme requires it`, async (t) => {
    const at = { stage: model.start, status: 'active' as const };
    const to = model.stages[1] as string;
    const accepted = { ...EMPTY, acceptedBy: ['mentor', 'mentee'] as GuardSnapshot['acceptedBy'] };
    t.same(planMove(model, at, to, accepted), okPlan(model.start, to), 'not required, none held');
    t.same(codesOf(planMove(model, at, to, { ...accepted, discoveryRequired: true })), ['DISCOVERY_NOT_HELD'], 'required, none held');
    t.same(planMove(model, at, to, { ...accepted, discoveryRequired: true, discoverySessionsHeld: 2 }), okPlan(model.start, to), 'required and held');
  });
}

t.test('nextStages lists every open move with what is missing', async (t) => {
  const result = nextStages(CLASSIC_4, { stage: 'initiation', status: 'active' }, EMPTY);
  t.same(result.map(({ stage, allowed }) => ({ stage, allowed })), [
    { stage: 'negotiation', allowed: false },
    { stage: 'declined', allowed: true },
    { stage: 'withdrawn', allowed: true },
  ]);
  t.same(result[0]?.blockers.map((blocker) => blocker.guard), ['both_accepted', 'both_accepted']);
});

// ---------- property: random walks ----------

const dueOn = fc.option(fc.constantFrom('2030-01-31', '2030-06-30', '2030-06-30T12:00:00Z', '2030-12-31'), { nil: null });
const parties = fc.subarray([...PARTIES]);
const snapshotArb: fc.Arbitrary<GuardSnapshot> = fc.record({
  acceptedBy: parties,
  discoveryRequired: fc.boolean(),
  discoverySessionsHeld: fc.nat(2),
  agreementSet: fc.boolean(),
  round: fc.integer({ min: 1, max: 3 }),
  goals: fc.array(fc.record({
    id: fc.uuid(),
    title: fc.constantFrom('Lead a team', 'Learn SQL'),
    status: fc.constantFrom(...GOAL_STATUSES),
    dueOn,
    round: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    smartFailures: fc.array(fc.record({ code: fc.constant('NOT_SMART'), message: fc.string() }), { maxLength: 2 }),
    tasks: fc.array(fc.record({ id: fc.uuid(), title: fc.string(), dueOn }), { maxLength: 3 }),
  }), { maxLength: 3 }),
  closingReflectionsBy: parties,
});

/** A sound model by construction: a chain s0 → … → completed, plus random extra transitions. */
const randomValidModel: fc.Arbitrary<StageModel> = fc.integer({ min: 1, max: 6 }).chain((size) => {
  const stages = Array.from({ length: size }, (_, index) => `s${index}`);
  const ends = [...stages, 'completed', 'declined'];
  const guards = fc.uniqueArray(fc.constantFrom(...GUARDS), { maxLength: 3 });
  const chain = stages.map((from, index) => ({ from, to: ends[index + 1] as string }));
  const extra = fc.uniqueArray(fc.record({ from: fc.constantFrom(...stages), to: fc.constantFrom(...ends) }), {
    selector: (edge) => `${edge.from}>${edge.to}`, maxLength: 8,
  });
  return fc.tuple(extra, fc.array(guards, { minLength: size + 8, maxLength: size + 8 })).map(([more, guardLists]) => {
    const edges = [...chain, ...more.filter((edge) => edge.from !== edge.to && !chain.some((c) => c.from === edge.from && c.to === edge.to))];
    return { key: 'random', name: 'Random', start: 's0', stages, transitions: edges.map((edge, index) => ({ ...edge, guards: guardLists[index] ?? [] })) };
  });
});

// Returns false instead of asserting, so fast-check can shrink a failure to the smallest walk.
interface Step { pick: number; fromAllowed: boolean; snapshot: GuardSnapshot; override: boolean }

function walkAgrees(model: StageModel, steps: Step[], reachedEnd: Set<string>): boolean {
  const targets = [...model.stages, 'completed', 'declined', 'withdrawn'];
  let at: { stage: string; status: RelationshipStatus } = { stage: model.start, status: 'active' };
  for (const { pick, fromAllowed, snapshot, override } of steps) {
    const allowed = allowedMoves(model, at);
    const pool = fromAllowed && allowed.length > 0 ? allowed : targets;
    const to = pool[pick % pool.length] as string;
    const plan = planMove(model, at, to, snapshot, { override });
    const guards = model.transitions.find((transition) => transition.from === at.stage && transition.to === to)?.guards ?? [];
    const blockers = guards.flatMap((guard) => evaluateGuard(guard, snapshot));
    if (!allowed.includes(to)) {
      if (plan.kind !== 'not_allowed') return false;
    } else if (plan.kind === 'not_allowed' || (plan.kind === 'ok') !== (override || blockers.length === 0)) {
      return false;
    } else if (plan.kind === 'blocked' && !isDeepStrictEqual(plan.blockers, blockers)) {
      return false;
    }
    const next = nextStages(model, at, snapshot);
    if (!isDeepStrictEqual(next.map((entry) => entry.stage), allowed)) return false;
    for (const entry of next) {
      const alone = planMove(model, at, entry.stage, snapshot);
      if (entry.allowed !== (alone.kind === 'ok')) return false;
      if (!isDeepStrictEqual(entry.blockers, alone.kind === 'blocked' ? alone.blockers : [])) return false;
    }
    if (plan.kind === 'ok') at = { stage: plan.toStage, status: plan.toStatus };
  }
  if (at.status !== 'active') reachedEnd.add(at.status);
  return true;
}

const walk: fc.Arbitrary<Step[]> = fc.array(fc.record({ pick: fc.nat(), fromAllowed: fc.boolean(), snapshot: snapshotArb, override: fc.boolean() }), { maxLength: 25 });

t.test('property: planMove ok ⇔ guards hold (or override), and nextStages agrees', async (t) => {
  const reachedEnd = new Set<string>();
  const models = fc.oneof(fc.constantFrom(CLASSIC_4, FIVE_STAGE), randomValidModel);
  fc.assert(fc.property(models, walk, (model, steps) => {
    if (!validateStageModel(model).ok) throw new Error(`generator produced an invalid model: ${JSON.stringify(model)}`);
    return walkAgrees(model, steps, reachedEnd);
  }), { numRuns: 500 });
  t.same([...reachedEnd].sort(), ['completed', 'declined', 'withdrawn'], 'the walks reach every end state');
});
