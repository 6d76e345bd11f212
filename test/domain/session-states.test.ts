import fc from 'fast-check';
import t from 'tap';
import { sql } from 'drizzle-orm';
import type { Services } from '../../src/domain/services.ts';
import type { Actor } from '../../src/domain/context.ts';
import { modelHarness, outcome } from '../helpers/model-run.ts';

// A reference model of a session's life, written independently of src/domain/sessions: planned
// sessions may be held (never in the future), cancelled, or missed once their time has passed;
// nothing happens to a session after that. Random sequences of plans, moves and the passing of
// time run through the real use cases under a controlled clock and must agree with it.
type Status = 'planned' | 'held' | 'cancelled' | 'missed';
interface ModelSession {
  id: string;
  status: Status;
  plannedAt: number;
  heldAt?: number;
}
interface Model {
  now: number;
  sessions: ModelSession[];
  events: number;
}
interface Real {
  services: Services;
  actor: Actor;
  relationshipId: string;
  clock: { now: number };
}
const MINUTE = 60_000;
const TOLERANCE = MINUTE;

class Plan implements fc.AsyncCommand<Model, Real> {
  constructor(readonly offsetMinutes: number) {}
  check = (model: Readonly<Model>) => model.sessions.length < 6;
  async run(model: Model, real: Real) {
    const plannedAt = model.now + this.offsetMinutes * MINUTE;
    const result = await outcome(() => real.services.planSession(real.actor, { relationshipId: real.relationshipId, session: { plannedAt: new Date(plannedAt).toISOString(), minutes: 30 } }));
    const expected = plannedAt >= model.now - TOLERANCE;
    if (!expected) {
      if (result.ok || result.code !== 'BAD_USER_INPUT') throw new Error(`planning ${this.offsetMinutes} min from now should be refused as bad input, got ${JSON.stringify(result)}`);
      return;
    }
    if (!result.ok) throw new Error(`planning ${this.offsetMinutes} min from now failed: ${result.code}`);
    if (result.value.status !== 'planned' || result.value.plannedMinutes !== 30) throw new Error(`planned session came back as ${JSON.stringify(result.value)}`);
    model.sessions.push({ id: result.value.id, status: 'planned', plannedAt });
    model.events++;
  }
  toString = () => `plan(${this.offsetMinutes})`;
}

class Move implements fc.AsyncCommand<Model, Real> {
  constructor(readonly index: number, readonly action: 'hold' | 'cancel' | 'miss', readonly heldOffsetMinutes: number | null) {}
  check = (model: Readonly<Model>) => model.sessions.length > 0;
  async run(model: Model, real: Real) {
    const session = model.sessions[this.index % model.sessions.length]!;
    const ids = { relationshipId: real.relationshipId, sessionId: session.id };
    const heldAt = this.heldOffsetMinutes === null ? undefined : model.now + this.heldOffsetMinutes * MINUTE;
    const result = await outcome(() =>
      this.action === 'hold'
        ? real.services.holdSession(real.actor, { ...ids, held: heldAt === undefined ? {} : { heldAt: new Date(heldAt).toISOString() } })
        : this.action === 'cancel'
          ? real.services.cancelSession(real.actor, { ...ids, cancellation: { reason: 'model' } })
          : real.services.markSessionMissed(real.actor, { ...ids, miss: {} }),
    );
    let expected: 'ok' | 'BAD_USER_INPUT' | 'CONFLICT';
    if (this.action === 'hold' && heldAt !== undefined && heldAt > model.now + TOLERANCE) expected = 'BAD_USER_INPUT';
    else if (session.status !== 'planned') expected = 'CONFLICT';
    else if (this.action === 'miss' && session.plannedAt > model.now) expected = 'CONFLICT';
    else expected = 'ok';
    const got = result.ok ? 'ok' : result.code;
    if (got !== expected) throw new Error(`${this.action} of a ${session.status} session planned ${(session.plannedAt - model.now) / MINUTE} min from now: expected ${expected}, got ${got}`);
    if (!result.ok) return;
    session.status = this.action === 'hold' ? 'held' : this.action === 'cancel' ? 'cancelled' : 'missed';
    model.events++;
    if (this.action === 'hold') {
      session.heldAt = heldAt ?? (session.plannedAt <= model.now ? session.plannedAt : model.now);
      const real = result.value;
      if (real.heldAt === null || Date.parse(real.heldAt) !== session.heldAt) throw new Error(`held at ${real.heldAt}, expected ${new Date(session.heldAt).toISOString()}`);
      if (real.minutes !== 30) throw new Error(`held minutes default to the planned length, got ${real.minutes}`);
    }
    if (result.value.status !== session.status) throw new Error(`status ${result.value.status}, expected ${session.status}`);
  }
  toString = () => `${this.action}(${this.index}${this.heldOffsetMinutes === null ? '' : `, heldAt ${this.heldOffsetMinutes}`})`;
}

class Wait implements fc.AsyncCommand<Model, Real> {
  constructor(readonly minutes: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    model.now += this.minutes * MINUTE;
    real.clock.now = model.now;
  }
  toString = () => `wait(${this.minutes})`;
}

const commands = [
  fc.oneof(
    { weight: 4, arbitrary: fc.oneof(fc.integer({ min: -180, max: 0 }), fc.integer({ min: 0, max: 240 }), fc.integer({ min: 0, max: 24 * 60 })).map((m) => new Plan(m)) },
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.nat(5), fc.constantFrom<'hold' | 'cancel' | 'miss'>('hold', 'cancel', 'miss', 'miss'), fc.option(fc.integer({ min: -600, max: 600 }), { nil: null }))
        .map(([i, a, h]) => new Move(i, a, a === 'hold' ? h : null)),
    },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 * 60 }).map((m) => new Wait(m)) },
  ),
];

t.test('random plans, moves and waits agree with a reference model of a session', async (t) => {
  const clock = { now: Date.parse('2027-03-01T09:00:00Z') };
  const { database, services, openPair } = await modelHarness(t, () => new Date(clock.now));
  const outcomes = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
      clock.now = Date.parse('2027-03-01T09:00:00Z');
      const { actor, relationshipId } = await openPair('sessions');
      const model: Model = { now: clock.now, sessions: [], events: 0 };
      await fc.asyncModelRun(() => ({ model, real: { services, actor, relationshipId, clock } }), cmds);
      const stored = await services.listSessions(actor, { relationshipId, limit: 100 });
      t.same(
        stored.items.map((s) => s.status),
        model.sessions.map((s) => s.status),
        'the stored sessions are the model sessions',
      );
      const [events] = await database.rows<{ n: number }>(sql`select count(*)::int as n from outbox_events where org_id = ${actor.org} and type like 'session.%'`);
      if (events!.n !== model.events) throw new Error(`${events!.n} session events, expected ${model.events}`);
      for (const s of model.sessions) outcomes.add(s.status);
    }),
    { numRuns: 40 },
  );
  t.same([...outcomes].sort(), ['cancelled', 'held', 'missed', 'planned'], 'every status was reached');
});
