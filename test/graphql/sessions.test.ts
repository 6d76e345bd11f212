import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { gql } from './gql-client.ts';
import { seedPair } from './seed.ts';

// GraphQL parity for sessions planned, held, cancelled and missed: the same use cases as REST.
const { app, auth } = await buildTestApp(t);
const SESSION_FIELDS = 'id kind status plannedAt plannedMinutes agenda heldAt minutes notes reason statusChangedAt relationship { id }';
const PLAN = `mutation ($id: ID!, $input: PlanSessionInput!) { planSession(relationshipId: $id, input: $input) { ${SESSION_FIELDS} } }`;
const HOLD = `mutation ($id: ID!, $sessionId: ID!, $input: HoldSessionInput) { holdSession(relationshipId: $id, sessionId: $sessionId, input: $input) { ${SESSION_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!, $sessionId: ID!, $reason: String) { cancelSession(relationshipId: $id, sessionId: $sessionId, reason: $reason) { ${SESSION_FIELDS} } }`;
const MISS = `mutation ($id: ID!, $sessionId: ID!) { markSessionMissed(relationshipId: $id, sessionId: $sessionId) { ${SESSION_FIELDS} } }`;
const ONE = `query ($id: ID!, $sessionId: ID!) { session(relationshipId: $id, id: $sessionId) { ${SESSION_FIELDS} } }`;
const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

t.test('plan, hold and cancel through GraphQL; the relationship lists them', async (t) => {
  const org = uniqueOrg('gql-sessions');
  const admin = gql(app, auth({ org }));
  const pair = await seedPair(admin);
  const mentee = gql(app, auth({ org, roles: ['member'], sub: pair.mentee.id }));
  const { planSession: call } = await mentee.must(PLAN, { id: pair.relationship.id, input: { kind: 'discovery', plannedAt: soon(0.5), agenda: 'Hello' } });
  t.match(call, { kind: 'discovery', status: 'planned', plannedMinutes: 20, agenda: 'Hello', heldAt: null, relationship: { id: pair.relationship.id } });
  const future = await mentee.refusal(HOLD, { id: pair.relationship.id, sessionId: call.id, input: { heldAt: soon(48) } });
  t.equal(future.extensions.code, 'BAD_USER_INPUT', 'held in the future');
  const early = await mentee.refusal(MISS, { id: pair.relationship.id, sessionId: call.id });
  t.equal(early.extensions.code, 'CONFLICT', 'not missed before its time');
  const { holdSession: held } = await mentee.must(HOLD, { id: pair.relationship.id, sessionId: call.id, input: { minutes: 22, notes: 'Good fit' } });
  t.match(held, { status: 'held', minutes: 22, notes: 'Good fit' });
  const { planSession: next } = await admin.must(PLAN, { id: pair.relationship.id, input: { plannedAt: soon(24) } });
  const { cancelSession: cancelled } = await admin.must(CANCEL, { id: pair.relationship.id, sessionId: next.id, reason: 'Ill' });
  t.match(cancelled, { status: 'cancelled', reason: 'Ill', plannedMinutes: 60 });
  const { session } = await admin.must(ONE, { id: pair.relationship.id, sessionId: call.id });
  t.same(session, held);
  const screen = await admin.must(`query ($id: ID!) { relationship(id: $id) { sessions { id status } } }`, { id: pair.relationship.id });
  t.same(screen.relationship.sessions, [
    { id: call.id, status: 'held' },
    { id: next.id, status: 'cancelled' },
  ]);
});

t.test("another organisation's or another pair's sessions do not exist", async (t) => {
  const org = uniqueOrg('gql-sessions-tenancy');
  const admin = gql(app, auth({ org }));
  const mine = await seedPair(admin);
  const other = await seedPair(admin, mine.programme.id);
  const { planSession: theirs } = await admin.must(PLAN, { id: other.relationship.id, input: { plannedAt: soon(3) } });
  const stranger = gql(app, auth({ org: uniqueOrg('gql-stranger') }));
  const member = gql(app, auth({ org, roles: ['member'], sub: mine.mentee.id }));
  for (const caller of [stranger, member]) {
    t.equal((await caller.refusal(CANCEL, { id: other.relationship.id, sessionId: theirs.id })).extensions.code, 'NOT_FOUND');
    t.equal((await caller.refusal(HOLD, { id: other.relationship.id, sessionId: theirs.id })).extensions.code, 'NOT_FOUND');
    t.equal((await caller.refusal(PLAN, { id: other.relationship.id, input: { plannedAt: soon(3) } })).extensions.code, 'NOT_FOUND');
    t.equal((await caller.refusal(ONE, { id: other.relationship.id, sessionId: theirs.id })).extensions.code, 'NOT_FOUND');
  }
  t.equal((await member.refusal(ONE, { id: mine.relationship.id, sessionId: theirs.id })).extensions.code, 'NOT_FOUND', 'nor through their own relationship');
  t.equal((await admin.must(ONE, { id: other.relationship.id, sessionId: theirs.id })).session.status, 'planned', 'nothing changed');
});
