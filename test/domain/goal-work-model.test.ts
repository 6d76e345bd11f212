import fc from 'fast-check';
import t from 'tap';
import type { Actor } from '../../src/domain/context.ts';
import { modelHarness } from '../helpers/model-run.ts';
import type { Goal } from '../../src/domain/schemas/goal.ts';
import { DomainError } from '../../src/domain/errors.ts';
import type { Services } from '../../src/domain/services.ts';
import { daysFromNow, smartGoalInput } from '../helpers/fixtures.ts';

// A reference model of one goal's life inside the stages, written independently of src/domain/goals:
// random edits (parts kept by id, added, removed, reordered, redated, retargeted), tasks done and
// reopened, milestones celebrated, readings recorded and agreements given. After every step the
// goal as the API presents it must match the model: the same parts with the same ids in the same
// order, completions and readings kept, and an agreed goal back in draft exactly when its agreed
// terms changed, saying which.

interface MetricPart { id: string; name: string; target: number; readings: number[] }
interface MilestonePart { id: string; title: string; dueOn: string; done: boolean }
interface TaskPart { id: string; title: string; done: boolean }
interface Model {
  status: 'draft' | 'agreed';
  outcome: string;
  metrics: MetricPart[];
  milestones: MilestonePart[];
  tasks: TaskPart[];
  reopenedBecause: string[] | null;
  names: number;
}
interface Real { services: Services; actor: Actor; ids: { relationshipId: string; goalId: string } }

// Every date stays inside the goal's horizon, and a metric always has a target, so the goal passes
// SMART whatever the edits: agreeing never fails for a reason this model does not know.
const DATES = [daysFromNow(20), daysFromNow(40), daysFromNow(60)];
const DUE = daysFromNow(120);

async function check(model: Model, real: Real) {
  const goal = await real.services.getGoal(real.actor, real.ids);
  const same = (what: string, actual: unknown, expected: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  same('status', goal.status, model.status);
  same('reopened', goal.reopened?.because ?? null, model.reopenedBecause);
  same('metrics', goal.metrics.map((m) => [m.id, m.name, m.target, m.current?.value ?? null]), model.metrics.map((m) => [m.id, m.name, m.target, m.readings.at(-1) ?? null]));
  same('milestones', goal.milestones.map((m) => [m.id, m.title, m.dueOn, m.doneAt !== null]), model.milestones.map((m) => [m.id, m.title, m.dueOn, m.done]));
  same('tasks', goal.tasks.map((task) => [task.id, task.title, task.doneAt !== null]), model.tasks.map((task) => [task.id, task.title, task.done]));
  same('taskProgress', goal.taskProgress, { done: model.tasks.filter((task) => task.done).length, total: model.tasks.length });
}

/** How an edit treats one list of parts: keep (maybe changed), drop, and where new ones go. */
type PartOp = { kind: 'keep'; change: boolean } | { kind: 'drop' } | { kind: 'add' };

class Edit implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly metricOps: PartOp[],
    readonly milestoneOps: PartOp[],
    readonly taskOps: PartOp[],
    readonly reverse: boolean,
    readonly newOutcome: boolean,
    readonly pick: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const terms: string[] = [];
    const next = <P extends { id: string }>(parts: P[], ops: PartOp[], change: (part: P) => P, make: () => Omit<P, 'id'>, isTerm: (before: P | undefined, after: P | undefined) => boolean) => {
      const out: (P | Omit<P, 'id'>)[] = [];
      parts.forEach((part, i) => {
        const op = ops[i] ?? { kind: 'keep', change: false };
        if (op.kind === 'drop') {
          if (isTerm(part, undefined)) termsChanged = true;
          return;
        }
        const kept = op.kind === 'keep' && op.change ? change(part) : part;
        if (isTerm(part, kept)) termsChanged = true;
        out.push(kept);
      });
      for (const op of ops.slice(parts.length)) {
        if (op.kind !== 'add') continue;
        const made = make();
        if (isTerm(undefined, made as P)) termsChanged = true;
        out.push(made);
      }
      return this.reverse ? out.reverse() : out;
    };
    let termsChanged = false;
    const name = () => `part ${++model.names}`;
    // Measurable needs a metric with a target: the first metric is never dropped.
    const metricOps = this.metricOps.map((op, i): PartOp => (i === 0 && op.kind === 'drop' ? { kind: 'keep', change: false } : op));
    const metrics = next(
      model.metrics,
      metricOps,
      (m) => ({ ...m, target: m.target + 1 }),
      () => ({ name: name(), target: 5, readings: [] }),
      (before, after) => !before || !after || before.target !== after.target,
    );
    if (termsChanged) terms.push('metrics');
    termsChanged = false;
    const milestones = next(
      model.milestones,
      this.milestoneOps,
      (m) => ({ ...m, dueOn: DATES[(DATES.indexOf(m.dueOn) + 1) % DATES.length]! }),
      () => ({ title: name(), dueOn: DATES[this.pick % DATES.length]!, done: false }),
      (before, after) => !before || !after || before.dueOn !== after.dueOn,
    );
    if (termsChanged) terms.push('milestoneDates');
    const tasks = next(
      model.tasks,
      this.taskOps,
      (task) => ({ ...task, title: `${task.title}!` }),
      () => ({ title: name(), done: false }),
      () => false,
    );
    const outcome = this.newOutcome ? `${model.outcome} More.` : model.outcome;
    if (outcome !== model.outcome) terms.unshift('outcome');

    const changes = {
      ...(this.newOutcome ? { outcome } : {}),
      metrics: metrics.map((m) => ({ ...('id' in m ? { id: m.id } : {}), name: m.name, baseline: 0, target: m.target })),
      milestones: milestones.map((m) => ({ ...('id' in m ? { id: m.id } : {}), title: m.title, dueOn: m.dueOn })),
      tasks: tasks.map((task) => ({ ...('id' in task ? { id: task.id } : {}), title: task.title, dueOn: DATES[0] })),
    };
    const goal = await real.services.updateGoal(real.actor, { ...real.ids, changes });
    // New parts take the ids the goal gives them, in the order sent.
    const withIds = <P extends { id: string }>(parts: (P | Omit<P, 'id'>)[], real: { id: string }[]) => parts.map((part, i) => ({ ...part, id: real[i]!.id }) as P);
    const expectedTerms = ['outcome', 'metrics', 'milestoneDates'].filter((term) => terms.includes(term));
    if (model.status === 'agreed' && expectedTerms.length) {
      model.status = 'draft';
      model.reopenedBecause = expectedTerms;
    }
    model.outcome = outcome;
    model.metrics = withIds<MetricPart>(metrics, goal.metrics);
    model.milestones = withIds<MilestonePart>(milestones, goal.milestones);
    model.tasks = withIds<TaskPart>(tasks, goal.tasks);
  }
  toString = () => `edit(metrics ${JSON.stringify(this.metricOps)}, milestones ${JSON.stringify(this.milestoneOps)}, tasks ${JSON.stringify(this.taskOps)}, reverse ${this.reverse}, outcome ${this.newOutcome})`;
}

class Work implements fc.AsyncCommand<Model, Real> {
  constructor(readonly action: 'completeTask' | 'reopenTask' | 'completeMilestone' | 'reading' | 'agree', readonly index: number, readonly value: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const { services, actor, ids } = real;
    if (this.action === 'agree') {
      if (model.status === 'agreed') return;
      await services.agreeGoal(actor, ids);
      model.status = 'agreed';
      model.reopenedBecause = null;
      return;
    }
    const list = this.action === 'reading' ? model.metrics : this.action === 'completeMilestone' ? model.milestones : model.tasks;
    if (list.length === 0) return;
    const part = list[this.index % list.length]!;
    if (this.action === 'completeTask') await services.completeTask(actor, { ...ids, taskId: part.id });
    if (this.action === 'reopenTask') await services.reopenTask(actor, { ...ids, taskId: part.id });
    if (this.action === 'completeMilestone') await services.completeMilestone(actor, { ...ids, milestoneId: part.id });
    if (this.action === 'reading') await services.recordMetricReading(actor, { ...ids, metricId: part.id, reading: { value: this.value } });
    if (this.action === 'reading') (part as MetricPart).readings.push(this.value);
    else (part as TaskPart | MilestonePart).done = this.action !== 'reopenTask';
  }
  toString = () => `${this.action}(${this.index}${this.action === 'reading' ? `, ${this.value}` : ''})`;
}

const partOps = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.boolean().map((change): PartOp => ({ kind: 'keep', change })) },
    { weight: 1, arbitrary: fc.constant<PartOp>({ kind: 'drop' }) },
    { weight: 2, arbitrary: fc.constant<PartOp>({ kind: 'add' }) },
  ),
  { maxLength: 5 },
);
const commands = [
  fc.tuple(partOps, partOps, partOps, fc.boolean(), fc.boolean(), fc.nat(5)).map(([m, ms, ts, reverse, outcome, pick]) => new Edit(m, ms, ts, reverse, outcome && pick === 0, pick)),
  fc
    .tuple(fc.constantFrom<Work['action']>('completeTask', 'completeTask', 'reopenTask', 'completeMilestone', 'reading', 'agree', 'agree'), fc.nat(5), fc.integer({ min: -5, max: 10 }))
    .map(([action, index, value]) => new Work(action, index, value)),
];

t.test("random edits and work agree with a reference model of a goal's identity and agreement", async (t) => {
  const { services, openPair } = await modelHarness(t);
  let reopenings = 0;
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 15 }), async (cmds) => {
      const { actor, relationshipId } = await openPair('goal-model');
      const input = smartGoalInput({
        dueOn: DUE,
        metrics: [{ name: 'first metric', baseline: 0, target: 2 }],
        milestones: [{ title: 'first milestone', dueOn: DATES[0] }, { title: 'second milestone', dueOn: DATES[1] }],
        tasks: [{ title: 'first task', dueOn: DATES[0] }],
      });
      const goal: Goal = await services.createGoal(actor, { relationshipId, goal: input });
      const model: Model = {
        status: 'draft',
        outcome: goal.outcome,
        metrics: [{ id: goal.metrics[0]!.id, name: 'first metric', target: 2, readings: [] }],
        milestones: goal.milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn!, done: false })),
        tasks: [{ id: goal.tasks[0]!.id, title: 'first task', done: false }],
        reopenedBecause: null,
        names: 0,
      };
      const real: Real = { services, actor, ids: { relationshipId, goalId: goal.id } };
      const checked = [...cmds].map((cmd): fc.AsyncCommand<Model, Real> => ({
        check: (m) => cmd.check(m) as boolean,
        run: async (m, r) => {
          const before = m.status;
          try {
            await cmd.run(m, r);
          } catch (error) {
            if (error instanceof DomainError) throw new Error(`${cmd.toString()} refused: ${error.code} ${error.message} ${JSON.stringify(error.details)}`);
            throw error;
          }
          if (before === 'agreed' && m.status === 'draft') reopenings++;
          await check(m, r);
        },
        toString: () => cmd.toString(),
      }));
      await fc.asyncModelRun(() => ({ model, real }), checked);
    }),
    { numRuns: 40 },
  );
  t.ok(reopenings > 3, `agreed goals were sent back to draft by their terms (${reopenings} times)`);
});
