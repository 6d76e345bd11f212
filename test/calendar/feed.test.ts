import nodeIcal from 'node-ical';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { rowCounts } from '../helpers/row-counts.ts';
import { gql } from '../graphql/gql-client.ts';

// A person's calendar feed at a secret, revocable URL, read back by an independent iCalendar
// parser (node-ical); and one session as an .ics file.
const { app, auth, database } = await buildTestApp(t);
// iCalendar times have whole seconds.
const soon = (hours: number) => new Date(Math.floor((Date.now() + hours * 3_600_000) / 1000) * 1000).toISOString();
type Parsed = ReturnType<typeof nodeIcal.sync.parseICS>;
const events = (parsed: Parsed) => Object.values(parsed).filter((entry) => entry?.type === 'VEVENT') as nodeIcal.VEvent[];

async function world() {
  const org = uniqueOrg('calendar');
  const admin = client(app, auth({ org }));
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Calendar' });
  const mentor = await admin.must('POST', '/v1/people', personInput({ name: 'Mona Mentor' }));
  const mentee = await admin.must('POST', '/v1/people', personInput({ name: 'Eli Mentee', externalId: `E-${org}` }));
  const other = await admin.must('POST', '/v1/people', personInput({ name: 'Otto Other' }));
  const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  const elsewhere = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: other.id, menteeId: mentor.id });
  const rel = `/v1/relationships/${relationship.id}`;
  const call = await admin.must('POST', `${rel}/sessions/planned`, { kind: 'discovery', plannedAt: soon(24), agenda: 'Get to know each other' });
  const cancelled = await admin.must('POST', `${rel}/sessions/planned`, { plannedAt: soon(48) });
  await admin.must('POST', `${rel}/sessions/${cancelled.id}/cancellation`, {});
  const goal = await admin.must('POST', `${rel}/goals`, smartGoalInput());
  await admin.must('PUT', `${rel}/agreement`, agreementInput());
  const theirs = await admin.must('POST', `/v1/relationships/${elsewhere.id}/sessions/planned`, { plannedAt: soon(72) });
  return { org, admin, mentor, mentee, relationship, rel, call, cancelled, goal, theirs };
}

t.test("a person's feed: planned sessions and due dates, parsed back; rotated and revoked", async (t) => {
  const w = await world();
  const feed = await w.admin.call('POST', `/v1/people/${w.mentee.id}/calendar-feed`);
  t.equal(feed.status, 201);
  t.match(feed.body.url, /^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  t.equal(feed.headers.location, feed.body.url);

  const response = await app.inject({ method: 'GET', url: feed.body.url });
  t.equal(response.statusCode, 200, 'no token: the secret in the URL is the key');
  t.match(response.headers['content-type'], /^text\/calendar/);
  const parsed = events(nodeIcal.sync.parseICS(response.body));
  const byUid = new Map(parsed.map((e) => [e.uid, e]));
  const session = byUid.get(`session-${w.call.id}@tandem`)!;
  t.ok(session, 'the planned discovery call');
  t.equal(String(session.summary), 'Discovery call with mentor Mona Mentor');
  t.equal(String(session.description), 'Get to know each other');
  t.equal(new Date(session.start).toISOString(), w.call.plannedAt);
  t.equal(new Date(session.end!).getTime() - new Date(session.start).getTime(), 20 * 60_000, 'the programme length: 20 minutes');
  t.notOk(byUid.has(`session-${w.cancelled.id}@tandem`), 'a cancelled session is not in it');
  t.notOk(byUid.has(`session-${w.theirs.id}@tandem`), "nor a session of a relationship the person is not in");
  const goalDue = byUid.get(`goal-${w.goal.id}@tandem`)!;
  t.equal(String(goalDue.summary), `Goal due: ${w.goal.title}`);
  t.equal((goalDue.start as Date & { dateOnly?: boolean }).dateOnly, true, 'due dates are all-day events');
  t.equal(byUid.get(`milestone-${w.goal.milestones[0].id}@tandem`)?.summary, `Milestone: ${w.goal.milestones[0].title}`);
  t.equal(byUid.get(`task-${w.goal.tasks[0].id}@tandem`)?.summary, `Task due: ${w.goal.tasks[0].title}`);
  t.equal(parsed.length, 1 + 1 + w.goal.milestones.length + w.goal.tasks.length);

  const mentorFeed = await w.admin.must('POST', `/v1/people/${w.mentor.id}/calendar-feed`);
  const mentorEvents = events(nodeIcal.sync.parseICS((await app.inject({ method: 'GET', url: mentorFeed.url })).body));
  t.ok(mentorEvents.some((e) => e.uid === `session-${w.theirs.id}@tandem`), "the mentor's feed has the sessions where they are mentored too");
  t.ok(mentorEvents.some((e) => String(e.summary) === 'Discovery call with mentee Eli Mentee'));

  const rotated = await w.admin.must('POST', `/v1/people/${w.mentee.id}/calendar-feed`);
  t.not(rotated.url, feed.body.url);
  t.equal((await app.inject({ method: 'GET', url: feed.body.url })).statusCode, 404, 'rotating revokes the URL before');
  t.equal((await app.inject({ method: 'GET', url: rotated.url })).statusCode, 200);
  t.same(await w.admin.must('DELETE', `/v1/people/${w.mentee.id}/calendar-feed`), { revoked: 1 });
  const revoked = await app.inject({ method: 'GET', url: rotated.url });
  t.equal(revoked.statusCode, 404, 'revoked: gone');
  t.equal(revoked.json().type, '/problems/not-found');
  t.same(await w.admin.must('DELETE', `/v1/people/${w.mentee.id}/calendar-feed`), { revoked: 0 }, 'revoking again is harmless');
});

t.test('feeds answer only to a live secret, and a member makes only their own', async (t) => {
  const w = await world();
  const before = await rowCounts(database);
  for (const url of ['/calendar/nonsense.ics', `/calendar/${'A'.repeat(43)}.ics`, '/calendar/%00.ics', `/calendar/${'x'.repeat(99)}`]) {
    const response = await app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 404, url);
    t.match(response.headers['content-type'], /problem\+json/);
  }
  t.same(await rowCounts(database), before, 'nothing changed');
  const member = client(app, auth({ org: w.org, roles: ['member'], sub: `E-${w.org}` }));
  t.equal((await member.call('POST', `/v1/people/${w.mentor.id}/calendar-feed`)).status, 404, "not their mentor's feed");
  const own = await member.call('POST', `/v1/people/${w.mentee.id}/calendar-feed`);
  t.equal(own.status, 201, 'their own');
  const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
  t.equal((await stranger.call('DELETE', `/v1/people/${w.mentee.id}/calendar-feed`)).status, 404, 'another organisation cannot revoke it');
  t.equal((await app.inject({ method: 'GET', url: own.body.url })).statusCode, 200, 'still live');
});

t.test('one session as an .ics file, and the feed through GraphQL', async (t) => {
  const w = await world();
  const file = await app.inject({ method: 'GET', url: `${w.rel}/sessions/${w.call.id}/calendar.ics`, headers: auth({ org: w.org }) });
  t.equal(file.statusCode, 200);
  t.match(file.headers['content-disposition'], /attachment; filename="session-/);
  const [event, ...rest] = events(nodeIcal.sync.parseICS(file.body));
  t.equal(rest.length, 0);
  t.equal(event!.uid, `session-${w.call.id}@tandem`, 'the same event as in the feed');
  t.equal(new Date(event!.start).toISOString(), w.call.plannedAt);
  const foreign = await app.inject({ method: 'GET', url: `${w.rel}/sessions/${w.call.id}/calendar.ics`, headers: auth({ org: uniqueOrg('x') }) });
  t.equal(foreign.statusCode, 404);

  const api = gql(app, auth({ org: w.org }));
  const { createCalendarFeed } = await api.must('mutation ($id: ID!) { createCalendarFeed(personId: $id) { url personId } }', { id: w.mentee.id });
  t.equal(createCalendarFeed.personId, w.mentee.id);
  t.equal((await app.inject({ method: 'GET', url: createCalendarFeed.url })).statusCode, 200);
  t.same(await api.must('mutation ($id: ID!) { revokeCalendarFeed(personId: $id) }', { id: w.mentee.id }), { revokeCalendarFeed: 1 });
  t.equal((await app.inject({ method: 'GET', url: createCalendarFeed.url })).statusCode, 404);
  const stranger = gql(app, auth({ org: uniqueOrg('y') }));
  t.equal((await stranger.refusal('mutation ($id: ID!) { createCalendarFeed(personId: $id) { url } }', { id: w.mentee.id })).extensions.code, 'NOT_FOUND');
});
