import fc from 'fast-check';
import t from 'tap';
import type { Services } from '../../src/domain/services.ts';
import type { Actor } from '../../src/domain/context.ts';
import { modelHarness, outcome } from '../helpers/model-run.ts';
import { agreementInput, closingReflection, daysFromNow, smartGoalInput } from '../helpers/fixtures.ts';

// A reference model of classic-4 with its rounds, written independently of src/domain/stage-models:
// the two loops (growth → negotiation, closure → negotiation) each open a round; growth needs a goal
// agreed in the current round, completion both closing reflections written in it.
type Party = 'mentor' | 'mentee';
interface Model {
  stage: string;
  status: 'active' | 'completed' | 'declined' | 'withdrawn';
  version: number;
  round: number;
  accepted: Set<Party>;
  agreementSet: boolean;
  /** `round`: the round the goal was last agreed in (null: never). */
  goals: { id: string; smart: boolean; status: 'draft' | 'agreed' | 'achieved' | 'dropped'; round: number | null; revisions: number }[];
  /** Closing reflections by the round they were written in. */
  closing: { party: Party; round: number }[];
  moves: number;
  loops: number;
}
interface Real {
  services: Services;
  actor: Actor;
  relationshipId: string;
}

const MOVES: Record<string, Record<string, (m: Model) => boolean>> = {
  initiation: { negotiation: (m) => m.accepted.size === 2, declined: () => true },
  negotiation: {
    growth: (m) => m.agreementSet && m.goals.some((g) => g.status === 'agreed' && g.round === m.round),
  },
  growth: { negotiation: () => true, closure: (m) => !m.goals.some((g) => g.status === 'agreed') },
  closure: { negotiation: () => true, completed: (m) => new Set(m.closing.filter((c) => c.round === m.round).map((c) => c.party)).size === 2 },
};
const LOOPS = new Set(['growth→negotiation', 'closure→negotiation']);
const TARGETS = ['initiation', 'negotiation', 'growth', 'closure', 'completed', 'declined', 'withdrawn'];

class Transition implements fc.AsyncCommand<Model, Real> {
  constructor(readonly to: string) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await outcome(() =>
      real.services.transitionRelationship(real.actor, { relationshipId: real.relationshipId, move: { to: this.to, reason: 'property test' } }),
    );
    const guard = model.status === 'active' ? (this.to === 'withdrawn' ? () => true : MOVES[model.stage]?.[this.to]) : undefined;
    if (!guard) {
      const expected = model.status === 'active' ? 'TRANSITION_NOT_ALLOWED' : 'RELATIONSHIP_ENDED';
      if (result.ok || result.code !== expected) throw new Error(`${model.stage}→${this.to} should be not allowed, got ${JSON.stringify(result)}`);
      return;
    }
    if (!guard(model)) {
      if (result.ok || result.code !== 'TRANSITION_BLOCKED') throw new Error(`${model.stage}→${this.to} should be blocked, got ${result.ok ? 'success' : result.code}`);
      return;
    }
    if (!result.ok) throw new Error(`${model.stage}→${this.to} should succeed, got ${result.code}`);
    if (LOOPS.has(`${model.stage}→${this.to}`)) {
      model.round++;
      model.loops++;
    }
    if (['completed', 'declined', 'withdrawn'].includes(this.to)) model.status = this.to as Model['status'];
    else model.stage = this.to;
    model.version++;
    model.moves++;
  }
  toString = () => `transition(${this.to})`;
}

/** Tries the forward move from wherever the model is, so runs travel the whole lifecycle. */
const FORWARD: Record<string, string> = { initiation: 'negotiation', negotiation: 'growth', growth: 'closure', closure: 'completed' };
class Advance implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  run = (model: Model, real: Real) => new Transition(FORWARD[model.stage] ?? 'completed').run(model, real);
  toString = () => 'advance';
}

class Accept implements fc.AsyncCommand<Model, Real> {
  constructor(readonly party: Party) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await outcome(() => real.services.acceptFit(real.actor, { relationshipId: real.relationshipId, acceptance: { party: this.party } }));
    if (model.status !== 'active') {
      if (result.ok) throw new Error('accepting an ended relationship should fail');
      return;
    }
    if (!result.ok) throw new Error(`accept failed: ${result.code}`);
    if (!model.accepted.has(this.party)) model.version++;
    model.accepted.add(this.party);
  }
  toString = () => `accept(${this.party})`;
}

class SetAgreement implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await outcome(() => real.services.setAgreement(real.actor, { relationshipId: real.relationshipId, agreement: agreementInput() }));
    if (model.status !== 'active') return void (result.ok && (() => { throw new Error('agreement on ended relationship'); })());
    if (!result.ok) throw new Error(`agreement failed: ${result.code}`);
    model.agreementSet = true;
    model.version++;
  }
  toString = () => 'setAgreement';
}

class DraftGoal implements fc.AsyncCommand<Model, Real> {
  constructor(readonly smart: boolean) {}
  check = (model: Readonly<Model>) => model.goals.length < 6;
  async run(model: Model, real: Real) {
    const goal = this.smart ? smartGoalInput() : smartGoalInput({ metrics: [], milestones: [], mentorConfirmedRealistic: false });
    const result = await outcome(() => real.services.createGoal(real.actor, { relationshipId: real.relationshipId, goal }));
    if (model.status !== 'active') return;
    if (!result.ok) throw new Error(`create goal failed: ${result.code}`);
    model.goals.push({ id: result.value.id, smart: this.smart, status: 'draft', round: null, revisions: 0 });
  }
  toString = () => `draftGoal(${this.smart ? 'smart' : 'not smart'})`;
}

class ResolveGoal implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly action: 'agree' | 'achieve' | 'drop') {}
  check = (model: Readonly<Model>) => model.goals.length > 0;
  async run(model: Model, real: Real) {
    const goal = model.goals[this.index % model.goals.length]!;
    const ids = { relationshipId: real.relationshipId, goalId: goal.id };
    const result = await outcome(() =>
      this.action === 'agree'
        ? real.services.agreeGoal(real.actor, ids)
        : this.action === 'achieve'
          ? real.services.achieveGoal(real.actor, { ...ids, achievement: { achievedDespite: 'property test' } })
          : real.services.dropGoal(real.actor, { ...ids, drop: { reason: 'no longer relevant' } }),
    );
    const active = model.status === 'active';
    const expected =
      this.action === 'agree' ? active && goal.status === 'draft' && goal.smart : this.action === 'achieve' ? active && goal.status === 'agreed' : active && ['draft', 'agreed'].includes(goal.status);
    if (expected !== result.ok) throw new Error(`${this.action} on ${goal.status} goal (smart: ${goal.smart}): expected ${expected}, got ${JSON.stringify(result)}`);
    if (result.ok) goal.status = this.action === 'agree' ? 'agreed' : this.action === 'achieve' ? 'achieved' : 'dropped';
    if (result.ok && this.action === 'agree') goal.round = model.round;
    if (result.ok && result.value.round !== goal.round) throw new Error(`goal agreed in round ${goal.round} reads round ${result.value.round}`);
  }
  toString = () => `${this.action}Goal(${this.index})`;
}

/** Draws up a new SMART goal and agrees it at once: what a loop back asks of the new round. */
class NewGoalAgreed implements fc.AsyncCommand<Model, Real> {
  check = (model: Readonly<Model>) => model.goals.length < 6;
  async run(model: Model, real: Real) {
    await new DraftGoal(true).run(model, real);
    if (model.status === 'active') await new ResolveGoal(model.goals.length - 1, 'agree').run(model, real);
  }
  toString = () => 'newGoalAgreed';
}

/** Changes an agreed term (the due date): an agreed goal goes back to draft, to be agreed again, in the round it then is. */
class ReviseGoal implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number) {}
  check = (model: Readonly<Model>) => model.goals.length > 0;
  async run(model: Model, real: Real) {
    const goal = model.goals[this.index % model.goals.length]!;
    const changes = { dueOn: daysFromNow(100 + ++goal.revisions) };
    const result = await outcome(() => real.services.updateGoal(real.actor, { relationshipId: real.relationshipId, goalId: goal.id, changes }));
    const expected = model.status === 'active' && ['draft', 'agreed'].includes(goal.status);
    if (expected !== result.ok) throw new Error(`revise on ${goal.status} goal: expected ${expected}, got ${JSON.stringify(result)}`);
    if (result.ok) goal.status = 'draft';
    if (result.ok && result.value.status !== 'draft') throw new Error(`a revised goal reads ${result.value.status}`);
  }
  toString = () => `reviseGoal(${this.index})`;
}

class Reflect implements fc.AsyncCommand<Model, Real> {
  constructor(readonly party: Party) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await outcome(() => real.services.recordReflection(real.actor, { relationshipId: real.relationshipId, reflection: closingReflection(this.party) }));
    if (model.status !== 'active') return;
    if (!result.ok) throw new Error(`reflection failed: ${result.code}`);
    model.closing.push({ party: this.party, round: model.round });
    if (result.value.round !== model.round) throw new Error(`a reflection of round ${model.round} reads round ${result.value.round}`);
  }
  toString = () => `reflect(${this.party})`;
}

const party = fc.constantFrom<Party>('mentor', 'mentee');
// Weighted so that runs travel far: the end states (which stop a run) come up rarely.
const commands = [
  fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...TARGETS).map((to) => new Transition(to)) },
    { weight: 8, arbitrary: fc.constantFrom('negotiation', 'growth', 'closure', 'completed').map((to) => new Transition(to)) },
    { weight: 12, arbitrary: fc.constant(new Advance()) },
    { weight: 6, arbitrary: party.map((p) => new Accept(p)) },
    { weight: 5, arbitrary: fc.constant(new SetAgreement()) },
    { weight: 4, arbitrary: fc.constantFrom(true, true, true, false).map((smart) => new DraftGoal(smart)) },
    { weight: 10, arbitrary: fc.tuple(fc.nat(5), fc.constantFrom<'agree' | 'achieve' | 'drop'>('agree', 'agree', 'achieve', 'drop')).map(([i, a]) => new ResolveGoal(i, a)) },
    { weight: 4, arbitrary: party.map((p) => new Reflect(p)) },
    { weight: 2, arbitrary: fc.nat(5).map((i) => new ReviseGoal(i)) },
    { weight: 4, arbitrary: fc.constant(new NewGoalAgreed()) },
    // The loops back: from growth or closure they open a round (from elsewhere they are refused).
    { weight: 5, arbitrary: fc.constant(new Transition('negotiation')) },
  ),
];

t.test('random use-case sequences agree with a reference model of classic-4 and its rounds', async (t) => {
  const { services, openPair } = await modelHarness(t);
  let runs = 0;
  let moves = 0;
  let loops = 0;
  let maxRound = 1;
  const reached = new Set<string>();

  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
      const { actor, relationshipId } = await openPair('model');
      const model: Model = { stage: 'initiation', status: 'active', version: 1, round: 1, accepted: new Set(), agreementSet: false, goals: [], closing: [], moves: 0, loops: 0 };
      const real: Real = { services, actor, relationshipId };

      await fc.asyncModelRun(() => ({ model, real }), [...cmds].map((cmd) => withInvariant(cmd)));
      runs++;
      moves += model.moves;
      loops += model.loops;
      maxRound = Math.max(maxRound, model.round);
      reached.add(model.stage).add(model.status);
    }),
    { numRuns: 60 },
  );
  t.equal(runs, 60);
  t.ok(moves >= 10, `successful moves were exercised (${moves})`);
  t.ok(['growth', 'closure'].some((stage) => reached.has(stage)), `runs got past negotiation (reached: ${[...reached].join(', ')})`);
  t.comment(`random runs: ${moves} moves, ${loops} loops back, up to round ${maxRound}`);
  t.ok(loops >= 1, `loops back were exercised (${loops} loops, up to round ${maxRound})`);

  // One walk through three rounds, checked by the same model and invariant after every step: growth is
  // refused after a loop until a goal is agreed in the new round, completion until both reflect again.
  const { actor, relationshipId } = await openPair('rounds');
  const model: Model = { stage: 'initiation', status: 'active', version: 1, round: 1, accepted: new Set(), agreementSet: false, goals: [], closing: [], moves: 0, loops: 0 };
  const walk: fc.AsyncCommand<Model, Real>[] = [
    new Accept('mentor'), new Accept('mentee'), new Transition('negotiation'), new SetAgreement(), new NewGoalAgreed(), new Transition('growth'),
    new Transition('negotiation'), new Transition('growth'), new ReviseGoal(0), new ResolveGoal(0, 'agree'), new Transition('growth'),
    new ResolveGoal(0, 'achieve'), new Transition('closure'), new Reflect('mentor'), new Reflect('mentee'),
    new Transition('negotiation'), new NewGoalAgreed(), new Transition('growth'), new ResolveGoal(1, 'drop'), new Transition('closure'),
    new Transition('completed'), new Reflect('mentee'), new Transition('completed'), new Reflect('mentor'), new Transition('completed'),
  ];
  await fc.asyncModelRun(() => ({ model, real: { services, actor, relationshipId } }), walk.map((cmd) => withInvariant(cmd)));
  t.same([model.status, model.round, model.loops], ['completed', 3, 2], 'the scripted walk went through three rounds to completion');

  function withInvariant(cmd: fc.AsyncCommand<Model, Real>): fc.AsyncCommand<Model, Real> {
    return {
      check: (m) => cmd.check(m),
      toString: () => cmd.toString(),
      async run(model, real) {
        await cmd.run(model, real);
        const current = await services.getRelationship(real.actor, { id: real.relationshipId });
        if (current.stage !== model.stage || current.status !== model.status || current.version !== model.version || current.round !== model.round) {
          throw new Error(
            `after ${cmd}: real ${current.stage}/${current.status}/v${current.version}/r${current.round} ≠ model ${model.stage}/${model.status}/v${model.version}/r${model.round}`,
          );
        }
        const history = await services.listHistory(real.actor, { id: real.relationshipId, limit: 100 });
        const last = history.items.at(-1)!;
        if (last.toStage !== current.stage || last.toStatus !== current.status || last.round !== current.round) throw new Error('history does not replay to the current stage and round');
        for (const [i, entry] of history.items.entries()) {
          const before = history.items[i - 1];
          if (before && (entry.fromStage !== before.toStage || entry.version <= before.version)) throw new Error('history has a gap');
          const looped = before && entry.toStatus === 'active' && LOOPS.has(`${entry.fromStage}→${entry.toStage}`);
          if (entry.round !== (before ? before.round + (looped ? 1 : 0) : 1)) throw new Error(`history row ${i} is in round ${entry.round}: rounds step by one at each loop`);
        }
        if (history.items.length !== model.moves + 1) throw new Error(`history has ${history.items.length} rows, expected ${model.moves + 1}`);
      },
    };
  }
});
