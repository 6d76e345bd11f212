import fc from 'fast-check';
import t from 'tap';
import type { Services } from '../../src/domain/services.ts';
import type { Actor } from '../../src/domain/context.ts';
import { modelHarness, outcome } from '../helpers/model-run.ts';
import { agreementInput, closingReflection, smartGoalInput } from '../helpers/fixtures.ts';

// A reference model of classic-4, written independently of src/domain/stage-models.
type Party = 'mentor' | 'mentee';
interface Model {
  stage: string;
  status: 'active' | 'completed' | 'declined' | 'withdrawn';
  version: number;
  accepted: Set<Party>;
  agreementSet: boolean;
  goals: { id: string; smart: boolean; status: 'draft' | 'agreed' | 'achieved' | 'dropped' }[];
  closing: Set<Party>;
  moves: number;
}
interface Real {
  services: Services;
  actor: Actor;
  relationshipId: string;
}

const MOVES: Record<string, Record<string, (m: Model) => boolean>> = {
  initiation: { negotiation: (m) => m.accepted.size === 2, declined: () => true },
  negotiation: {
    growth: (m) => m.agreementSet && m.goals.some((g) => g.status === 'agreed'),
  },
  growth: { negotiation: () => true, closure: (m) => !m.goals.some((g) => g.status === 'agreed') },
  closure: { negotiation: () => true, completed: (m) => m.closing.size === 2 },
};
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
  check = (model: Readonly<Model>) => model.goals.length < 4;
  async run(model: Model, real: Real) {
    const goal = this.smart ? smartGoalInput() : smartGoalInput({ metrics: [], milestones: [], mentorConfirmedRealistic: false });
    const result = await outcome(() => real.services.createGoal(real.actor, { relationshipId: real.relationshipId, goal }));
    if (model.status !== 'active') return;
    if (!result.ok) throw new Error(`create goal failed: ${result.code}`);
    model.goals.push({ id: result.value.id, smart: this.smart, status: 'draft' });
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
          ? real.services.achieveGoal(real.actor, ids)
          : real.services.dropGoal(real.actor, { ...ids, drop: { reason: 'no longer relevant' } }),
    );
    const active = model.status === 'active';
    const expected =
      this.action === 'agree' ? active && goal.status === 'draft' && goal.smart : this.action === 'achieve' ? active && goal.status === 'agreed' : active && ['draft', 'agreed'].includes(goal.status);
    if (expected !== result.ok) throw new Error(`${this.action} on ${goal.status} goal (smart: ${goal.smart}): expected ${expected}, got ${JSON.stringify(result)}`);
    if (result.ok) goal.status = this.action === 'agree' ? 'agreed' : this.action === 'achieve' ? 'achieved' : 'dropped';
  }
  toString = () => `${this.action}Goal(${this.index})`;
}

class Reflect implements fc.AsyncCommand<Model, Real> {
  constructor(readonly party: Party) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const result = await outcome(() => real.services.recordReflection(real.actor, { relationshipId: real.relationshipId, reflection: closingReflection(this.party) }));
    if (model.status !== 'active') return;
    if (!result.ok) throw new Error(`reflection failed: ${result.code}`);
    model.closing.add(this.party);
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
    { weight: 10, arbitrary: fc.tuple(fc.nat(3), fc.constantFrom<'agree' | 'achieve' | 'drop'>('agree', 'agree', 'achieve', 'drop')).map(([i, a]) => new ResolveGoal(i, a)) },
    { weight: 4, arbitrary: party.map((p) => new Reflect(p)) },
  ),
];

t.test('random use-case sequences agree with a reference model of classic-4', async (t) => {
  const { services, openPair } = await modelHarness(t);
  let runs = 0;
  let moves = 0;
  const reached = new Set<string>();

  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'max' }), async (cmds) => {
      const { actor, relationshipId } = await openPair('model');
      const model: Model = { stage: 'initiation', status: 'active', version: 1, accepted: new Set(), agreementSet: false, goals: [], closing: new Set(), moves: 0 };
      const real: Real = { services, actor, relationshipId };

      await fc.asyncModelRun(() => ({ model, real }), [...cmds].map((cmd) => withInvariant(cmd)));
      runs++;
      moves += model.moves;
      reached.add(model.stage).add(model.status);
    }),
    { numRuns: 60 },
  );
  t.equal(runs, 60);
  t.ok(moves >= 10, `successful moves were exercised (${moves})`);
  t.ok(['growth', 'closure'].some((stage) => reached.has(stage)), `runs got past negotiation (reached: ${[...reached].join(', ')})`);

  function withInvariant(cmd: fc.AsyncCommand<Model, Real>): fc.AsyncCommand<Model, Real> {
    return {
      check: (m) => cmd.check(m),
      toString: () => cmd.toString(),
      async run(model, real) {
        await cmd.run(model, real);
        const current = await services.getRelationship(real.actor, { id: real.relationshipId });
        if (current.stage !== model.stage || current.status !== model.status || current.version !== model.version) {
          throw new Error(`after ${cmd}: real ${current.stage}/${current.status}/v${current.version} ≠ model ${model.stage}/${model.status}/v${model.version}`);
        }
        const history = await services.listHistory(real.actor, { id: real.relationshipId, limit: 100 });
        const last = history.items.at(-1)!;
        if (last.toStage !== current.stage || last.toStatus !== current.status) throw new Error('history does not replay to the current stage');
        for (const [i, entry] of history.items.entries()) {
          if (i > 0 && (entry.fromStage !== history.items[i - 1]!.toStage || entry.version <= history.items[i - 1]!.version)) throw new Error('history has a gap');
        }
        if (history.items.length !== model.moves + 1) throw new Error(`history has ${history.items.length} rows, expected ${model.moves + 1}`);
      },
    };
  }
});
