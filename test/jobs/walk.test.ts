import { sql } from 'drizzle-orm';
import t from 'tap';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, personInput, smartGoalInput } from '../helpers/fixtures.ts';

// A controlled clock walks two programmes through March and April 2027, across London's change to
// summer time (28 March), with the scheduler run every six hours of that clock: quiet pairs,
// resumed, an expired invitation, reminders, and a programme's end, each exactly once.
let now = new Date('2027-03-01T09:00:00Z');
const clock = () => new Date(now);
const { app, database, auth } = await buildTestApp(t, { clock, config: { logLevel: process.env.WALK_LOG ? 'error' : 'silent' } as never });
const org = uniqueOrg('walk');
const api = client(app, auth({ org, roles: ['admin'] }));
const scheduler = createScheduler({ database, clock });
const HOUR = 3_600_000;

interface EventRow extends Record<string, unknown> {
  type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the REST bodies, checked against openapi.yaml by the client
type Body = any;
let programme: Body, ending: Body, weekly: Body, stale: Body, busyMentor: Body, pilot: Body, goal: Body, planned: Body;
let events: EventRow[] = [];
const person = (capacity = 3) => api.must('POST', '/v1/people', personInput({ capacity }));

t.before(async () => {
  programme = await api.must('POST', '/v1/programmes', {
    name: 'Spring cohort',
    quietGraceDays: 1,
    invitationExpiryDays: 10,
    dueSoonDays: 2,
    sessionReminderMinutes: 120,
  });
  ending = await api.must('POST', '/v1/programmes', { name: 'Short pilot', endsOn: '2027-03-25', endingNoticeDays: 7, onProgrammeEnd: 'close', invitationExpiryDays: null });

  const open = async (programmeId: string, mentorId: string, accept: ('mentor' | 'mentee')[]) => {
    const relationship = await api.must('POST', '/v1/relationships', { programmeId, mentorId, menteeId: (await person()).id, aspiration: 'I want a promotion' });
    for (const party of accept) await api.must('POST', `/v1/relationships/${relationship.id}/acceptances`, { party });
    return relationship;
  };

  // The weekly pair: Tuesdays at 16:00 London time (15:00 UTC once summer time starts).
  weekly = await open(programme.id, (await person()).id, ['mentor', 'mentee']);
  await api.must('PUT', `/v1/relationships/${weekly.id}/agreement`, {
    ...agreementInput(),
    rhythm: { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2027-03-02T16:00', minutes: 60 },
  });
  // The invitation only the mentor accepted, with a mentor who has room for one.
  busyMentor = await person(1);
  stale = await open(programme.id, busyMentor.id, ['mentor']);
  // The pilot's pair, still active when the pilot ends.
  pilot = await open(ending.id, (await person()).id, ['mentor', 'mentee']);
  // Reminders: a goal (agreed), its milestone and task, and a planned session.
  goal = await api.must(
    'POST',
    `/v1/relationships/${weekly.id}/goals`,
    smartGoalInput({
      dueOn: '2027-04-20',
      milestones: [
        { title: 'Shadow the current lead', dueOn: '2027-03-15' },
        { title: 'Co-lead a session', dueOn: '2027-04-01' },
      ],
      tasks: [{ title: 'Read the planning handbook', dueOn: '2027-03-20', resources: [] }],
    }),
  );
  await database.db.execute(sql`update goals set status = 'agreed', agreed_at = ${now.toISOString()}::timestamptz where id = ${goal.id}`);
  planned = await api.must('POST', `/v1/relationships/${weekly.id}/sessions/planned`, { kind: 'regular', plannedAt: '2027-03-18T10:30:00Z', minutes: 45, agenda: 'Next steps' });

  // The pair holds its Tuesday sessions until 30 March (after the change to summer time), then
  // stops; holds one on Friday 9 April, then stops again.
  const held = ['2027-03-02T16:00:00Z', '2027-03-09T16:00:00Z', '2027-03-16T16:05:00Z', '2027-03-23T15:50:00Z', '2027-03-30T15:00:00Z', '2027-04-09T10:00:00Z'].map((at) => new Date(at));
  while (now < new Date('2027-04-20T00:00:00Z')) {
    for (const at of held.filter((at) => at <= now && at.getTime() > now.getTime() - 6 * HOUR)) {
      await api.must('POST', `/v1/relationships/${weekly.id}/sessions`, { kind: 'regular', heldAt: at.toISOString(), minutes: 60 });
    }
    await scheduler.drain();
    now = new Date(now.getTime() + 6 * HOUR);
  }

  events = await database.rows<EventRow>(sql`select type, subject_id, payload, created_at from outbox_events where org_id = ${org} order by seq`);
});

const of = (type: string, subjectId: string) => events.filter((e) => e.type === type && e.subject_id === subjectId);
const at = (e: EventRow | undefined) => (e ? new Date(e.created_at).getTime() : NaN);

t.test('a pair that misses its rhythm goes quiet once per episode, and resumes when it meets again', async (t) => {
  t.match(programme, { quietGraceDays: 1, invitationExpiryDays: 10, defaultCadenceDays: 14, onProgrammeEnd: 'leave' }, 'the settings are the programme’s');
  const quiet = of('relationship.quiet', weekly.id);
  t.equal(quiet.length, 2, 'two quiet episodes, one event each');
  t.equal(quiet[0]?.payload.expectedAt, '2027-04-06T15:00:00.000Z', 'the missed session is 16:00 London summer time (15:00 UTC), not 16:00 UTC');
  t.ok(at(quiet[0]) >= Date.parse('2027-04-07T15:00:00Z') && at(quiet[0]) < Date.parse('2027-04-07T21:00:00Z'), 'sent within one scheduler step after the grace day');
  t.match(quiet[0]?.payload, { basis: 'rhythm', graceDays: 1, lastHeldAt: '2027-03-30T15:00:00.000Z', actor: 'tandem:scheduler' });
  const resumed = of('relationship.resumed', weekly.id);
  t.equal(resumed.length, 1, 'one resumed event');
  t.match(resumed[0]?.payload, { quietSince: '2027-04-06T15:00:00.000Z', heldAt: '2027-04-09T10:00:00.000Z' });
  t.ok(at(quiet[0]) < at(resumed[0]) && at(resumed[0]) < at(quiet[1]), 'quiet, resumed, quiet again');
  t.equal(quiet[1]?.payload.expectedAt, '2027-04-13T15:00:00.000Z', 'the Friday session counted for the Tuesday before it; the next Tuesday was missed');
  const read = await api.must('GET', `/v1/relationships/${weekly.id}`);
  t.equal(read.quietSince, '2027-04-13T15:00:00.000Z', 'the relationship shows since when it is quiet');
  const report = await api.must('GET', `/v1/programmes/${programme.id}/report`);
  t.match(report.quiet, { count: 1, relationshipIds: [weekly.id] }, 'the report lists the quiet pair');
  const graphql = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: auth({ org, roles: ['admin'] }),
    payload: { query: `{ relationship(id: "${weekly.id}") { quietSince } programme(id: "${programme.id}") { quietGraceDays defaultCadenceDays onProgrammeEnd } }` },
  });
  t.same(graphql.json().data, { relationship: { quietSince: '2027-04-13T15:00:00.000Z' }, programme: { quietGraceDays: 1, defaultCadenceDays: 14, onProgrammeEnd: 'leave' } });
});

t.test('an invitation not accepted by both within the expiry is declined as expired, once, and frees the mentor', async (t) => {
  const declined = of('relationship.declined', stale.id);
  t.equal(declined.length, 1, 'one relationship.declined');
  t.match(declined[0]?.payload, { reason: 'expired', actor: 'tandem:scheduler' });
  t.ok(at(declined[0]) >= Date.parse('2027-03-11T09:00:00Z') && at(declined[0]) < Date.parse('2027-03-11T15:00:00Z'), 'ten days after it opened');
  const read = await api.must('GET', `/v1/relationships/${stale.id}`);
  t.equal(read.status, 'declined');
  const again = await api.call('POST', '/v1/relationships', { programmeId: programme.id, mentorId: busyMentor.id, menteeId: (await person()).id });
  t.equal(again.status, 201, 'the mentor (capacity one) can take another mentee');
  t.equal(of('relationship.declined', weekly.id).length, 0, 'the pair that accepted is not touched');
});

t.test('reminders go once each, a configured time before', async (t) => {
  const task = goal.tasks[0];
  const [early, late] = goal.milestones;
  t.equal(of('task.due_soon', task.id).length, 1, 'task.due_soon once');
  t.ok(at(of('task.due_soon', task.id)[0]) >= Date.parse('2027-03-18T00:00:00Z'), 'not before two days ahead of its due date');
  t.equal(of('milestone.due_soon', early.id).length, 1, 'milestone.due_soon once for each milestone');
  t.equal(of('milestone.due_soon', late.id).length, 1);
  t.equal(of('goal.due_soon', goal.id).length, 1, 'goal.due_soon once');
  t.match(of('goal.due_soon', goal.id)[0]?.payload, { dueOn: '2027-04-20', relationshipId: weekly.id });
  const upcoming = of('session.upcoming', planned.id);
  t.equal(upcoming.length, 1, 'session.upcoming once');
  t.ok(at(upcoming[0]) >= Date.parse('2027-03-18T08:30:00Z') && at(upcoming[0]) < Date.parse('2027-03-18T10:30:00Z'), 'within the two hours before it');
});

t.test('a programme announces its end, then closes what is still active when it says so', async (t) => {
  t.equal(of('programme.ending', ending.id).length, 1, 'programme.ending once');
  t.ok(at(of('programme.ending', ending.id)[0]) >= Date.parse('2027-03-18T00:00:00Z'), 'seven days before its last day');
  t.equal(of('programme.ended', ending.id).length, 1, 'programme.ended once');
  t.match(of('programme.ended', ending.id)[0]?.payload, { endsOn: '2027-03-25', onProgrammeEnd: 'close', activeRelationships: 1 });
  const withdrawn = of('relationship.withdrawn', pilot.id);
  t.equal(withdrawn.length, 1);
  t.match(withdrawn[0]?.payload, { reason: 'the programme ended' });
  t.equal(of('programme.ending', programme.id).length, 0, 'a programme without an end date announces nothing');
});

t.test('every job ran once and none failed', async (t) => {
  const [counts] = await database.rows<{ pending: number; failed: number; duplicates: number }>(
    sql`select count(*) filter (where status = 'pending' and run_at <= ${now.toISOString()}::timestamptz)::int as pending,
               count(*) filter (where status = 'failed')::int as failed,
               (select count(*) from (select key from scheduled_jobs group by key having count(*) > 1) d)::int as duplicates
        from scheduled_jobs where org_id = ${org}`,
  );
  t.same(counts, { pending: 0, failed: 0, duplicates: 0 });
});
