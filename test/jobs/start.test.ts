import { sql } from 'drizzle-orm';
import t from 'tap';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';

// The server starts its scheduler with a delayed first round, so a backlog of due jobs does not
// hold up the first answers after a start (src/app.ts); the backlog still runs, just after.
let now = new Date('2027-05-03T09:00:00Z');
const clock = () => new Date(now);
const { app, database, auth } = await buildTestApp(t, { clock });

t.test('a scheduler started with firstRoundAfterMs runs the jobs already due only after the delay', async (t) => {
  const org = uniqueOrg('jobs-first-round');
  const api = client(app, auth({ org, roles: ['admin'] }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'First round', invitationExpiryDays: 1 });
  const mentor = await api.must('POST', '/v1/people', personInput({ capacity: 10 }));
  const mentee = await api.must('POST', '/v1/people', personInput());
  const invitation = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  now = new Date('2027-05-05T10:00:00Z'); // the invitation is stale: its expiry job is due

  const statusNow = async () => (await api.must('GET', `/v1/relationships/${invitation.id}`)).status as string;
  const jobs = async () => (await database.rows<{ n: number }>(sql`select count(*)::int as n from scheduled_jobs where org_id = ${org}`))[0]!.n;
  const jobsBefore = await jobs();
  const stoppedEarly = createScheduler({ database, clock, pollMs: 3_600_000, firstRoundAfterMs: 60_000 });
  stoppedEarly.start();
  await stoppedEarly.stop(); // waits for a round under way: there is none
  t.equal(await jobs(), jobsBefore, 'start() itself planned nothing');
  t.equal(await statusNow(), 'active', 'and ran nothing: the invitation is still open');

  const scheduler = createScheduler({ database, clock, pollMs: 3_600_000, firstRoundAfterMs: 300 });
  const began = performance.now();
  scheduler.start();
  t.teardown(() => scheduler.stop());
  while ((await statusNow()) === 'active' && performance.now() - began < 10_000) await new Promise((resolve) => setTimeout(resolve, 25));
  t.equal(await statusNow(), 'declined', 'the due expiry ran after the delay');
  const [declined] = await database.rows<{ n: number }>(sql`select count(*)::int as n from stage_history where org_id = ${org} and to_status = 'declined'`);
  t.equal(declined!.n, 1, 'declined once');
});
