import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';

// Sessions planned and then held, cancelled or missed; the discovery call of seed 000.
const clock = { now: Date.parse('2027-02-01T09:00:00Z') };
const { app, auth, database } = await buildTestApp(t, { clock: () => new Date(clock.now), config: { logLevel: (process.env.TEST_LOG as 'error') ?? 'silent' } });
const HOUR = 3_600_000;
const at = (hoursFromNow: number) => new Date(clock.now + hoursFromNow * HOUR).toISOString();

async function pair(settings: Record<string, unknown> = {}) {
  const org = uniqueOrg('sessions');
  const admin = client(app, auth({ org }));
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Sessions', ...settings });
  const mentor = await admin.must('POST', '/v1/people', personInput({ externalId: `M-${org}` }));
  const mentee = await admin.must('POST', '/v1/people', personInput({ externalId: `E-${org}` }));
  const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  const menteeApi = client(app, auth({ org, roles: ['member'], sub: `E-${org}` }));
  return { org, admin, menteeApi, programme, mentor, mentee, relationship, base: `/v1/relationships/${relationship.id}/sessions` };
}

t.test('the mentee schedules the discovery call from initiation; it defaults to the programme length', async (t) => {
  const { menteeApi, admin, base, relationship, org } = await pair();
  const planned = await menteeApi.call('POST', `${base}/planned`, { kind: 'discovery', plannedAt: at(24), agenda: 'Get to know each other' });
  t.equal(planned.status, 201);
  t.match(planned.body, { kind: 'discovery', status: 'planned', plannedMinutes: 20, agenda: 'Get to know each other', heldAt: null, minutes: null });
  t.equal(planned.headers.location, `${base}/${planned.body.id}`);
  t.same(await admin.must('GET', `${base}/${planned.body.id}`), planned.body, 'read back as planned');

  const early = await menteeApi.call('POST', `${base}/${planned.body.id}/missed`, {});
  t.equal(early.status, 409, 'not missed before its time');
  const future = await menteeApi.call('POST', `${base}/${planned.body.id}/held`, { heldAt: at(2) });
  t.equal(future.status, 400, 'a held session is never in the future');
  t.equal(future.body.errors[0].path, 'heldAt');
  t.match(future.body.detail, /future/);

  clock.now += 25 * HOUR;
  const held = await menteeApi.must('POST', `${base}/${planned.body.id}/held`, { minutes: 25, notes: 'A good fit' });
  t.match(held, { status: 'held', minutes: 25, notes: 'A good fit', heldAt: planned.body.plannedAt });
  const again = await menteeApi.call('POST', `${base}/${planned.body.id}/cancellation`, {});
  t.equal(again.status, 409, 'a held session stays held');
  t.same(again.body.allowed, []);

  const events = await database.rows<{ type: string; payload: { version: number; status: string } }>(
    sql`select type, payload from outbox_events where org_id = ${org} and type like 'session.%' order by seq`,
  );
  t.same(events.map((e) => e.type), ['session.planned', 'session.held']);
  t.ok(events.every((e) => e.payload.version === relationship.version), 'session events carry the relationship version');
});

t.test('a discovery call is for the first stage; other sessions default to an hour', async (t) => {
  const { admin, base, relationship } = await pair();
  await admin.must('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentor' });
  await admin.must('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentee' });
  await admin.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'negotiation' });
  const discovery = await admin.call('POST', `${base}/planned`, { kind: 'discovery', plannedAt: at(24) });
  t.equal(discovery.status, 409);
  t.match(discovery.body.detail, /first stage \(initiation\)/);
  const regular = await admin.must('POST', `${base}/planned`, { plannedAt: at(24) });
  t.match(regular, { kind: 'regular', plannedMinutes: 60 });
  const past = await admin.call('POST', `${base}/planned`, { plannedAt: at(-3) });
  t.equal(past.status, 400, 'planned in the past');
  t.equal(past.body.errors[0].path, 'plannedAt');
  const cancelled = await admin.must('POST', `${base}/${regular.id}/cancellation`, { reason: 'Travelling' });
  t.match(cancelled, { status: 'cancelled', reason: 'Travelling' });
  const late = await admin.must('POST', `${base}/planned`, { plannedAt: at(1) });
  clock.now += 2 * HOUR;
  t.match(await admin.must('POST', `${base}/${late.id}/missed`), { status: 'missed' });
  const list = await admin.must('GET', base);
  t.same(list.items.map((s: { status: string }) => s.status), ['cancelled', 'missed']);
});

t.test('a session logged after the fact is never in the future', async (t) => {
  const { admin, base } = await pair();
  const future = await admin.call('POST', base, { kind: 'regular', heldAt: at(24 * 30), minutes: 30 });
  t.equal(future.status, 400, 'a session "held" next month is refused');
  t.equal(future.body.errors[0].path, 'heldAt');
  t.match(await admin.must('POST', base, { kind: 'regular', heldAt: at(-1), minutes: 30 }), { status: 'held', plannedAt: null, minutes: 30 });
});

t.test('a programme that requires the discovery call may set the length it must reach', async (t) => {
  const { admin, menteeApi, base, relationship, programme } = await pair({ discoveryRequired: true, discoveryMinMinutes: 30, discoveryMinutes: 30 });
  t.equal(programme.discoveryMinMinutes, 30);
  await admin.must('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentor' });
  await admin.must('POST', `/v1/relationships/${relationship.id}/acceptances`, { party: 'mentee' });
  const move = () => admin.call('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'negotiation' });

  const call = await menteeApi.must('POST', `${base}/planned`, { kind: 'discovery', plannedAt: at(1) });
  t.equal(call.plannedMinutes, 30, "the programme's length");
  t.same((await move()).body.blockers.map((b: { code: string }) => b.code), ['DISCOVERY_NOT_HELD'], 'a planned call does not count');
  clock.now += 2 * HOUR;
  await menteeApi.must('POST', `${base}/${call.id}/held`, { minutes: 15 });
  const short = await move();
  t.equal(short.status, 409);
  t.same(short.body.blockers.map((b: { code: string }) => b.code), ['DISCOVERY_TOO_SHORT']);
  t.match(short.body.blockers[0].message, /at least 30 minutes; the longest held lasted 15/);
  await menteeApi.must('POST', base, { kind: 'discovery', heldAt: at(-0.5), minutes: 30 });
  t.equal((await move()).status, 200, 'a long enough call opens negotiation');

  const defaults = await admin.must('POST', '/v1/programmes', { name: 'Defaults' });
  t.match(defaults, { discoveryRequired: false, discoveryMinMinutes: null, discoveryMinutes: 20 }, 'off by default');
});

t.test('a member plans and moves sessions of their own relationships only', async (t) => {
  const mine = await pair();
  const theirs = await pair();
  const stranger = await theirs.admin.must('POST', `${theirs.base}/planned`, { plannedAt: at(5) });
  const foreign = await mine.admin.call('POST', `${theirs.base}/${stranger.id}/cancellation`, {});
  t.equal(foreign.status, 404, "another organisation's session does not exist");
  const wrongRelationship = await mine.admin.call('GET', `${mine.base}/${stranger.id}`);
  t.equal(wrongRelationship.status, 404, 'a session is reached through its own relationship only');
  t.equal((await theirs.admin.must('GET', `${theirs.base}/${stranger.id}`)).status, 'planned', 'and nothing changed');
});

t.test('an ended relationship takes no more sessions: 409, never a 500', async (t) => {
  const { admin, base, relationship } = await pair();
  const planned = await admin.must('POST', `${base}/planned`, { plannedAt: at(5) });
  await admin.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'withdrawn', reason: 'moved on' });
  for (const [url, body] of [[`${base}/planned`, { plannedAt: at(6) }], [`${base}/${planned.id}/cancellation`, {}], [base, { kind: 'regular', heldAt: at(-1), minutes: 20 }]] as const) {
    const refused = await admin.call('POST', url, body);
    t.equal(refused.status, 409, url);
    t.equal(refused.body.relationshipStatus, 'withdrawn');
  }
});
