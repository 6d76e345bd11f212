import { sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.ts';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { databaseUrl } from '../webhooks/helpers/processes.ts';

// Real concurrency needs real connections: on PGlite transactions run one after another.
const needsPostgres = process.env.TEST_DATABASE_URL ? false : 'two schedulers racing need TEST_DATABASE_URL (PostgreSQL): on PGlite transactions run one after another';

t.test('two workers racing on one PostgreSQL: every job runs once, every nudge is sent once', { skip: needsPostgres }, async (t) => {
  let now = new Date('2027-05-03T09:00:00Z');
  const clock = () => new Date(now);
  const { app, database, auth } = await buildTestApp(t, { clock });
  const org = uniqueOrg('jobs-race');
  const api = client(app, auth({ org, roles: ['admin'] }));
  const programme = await api.must('POST', '/v1/programmes', { name: 'Race', invitationExpiryDays: 1, endsOn: '2027-05-05', endingNoticeDays: 7 });
  const mentor = await api.must('POST', '/v1/people', personInput({ capacity: 100 }));
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const mentee = await api.must('POST', '/v1/people', personInput());
    ids.push((await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id })).id);
  }
  // Two days on, every invitation is stale and every pair's first check is due, at once.
  now = new Date('2027-05-05T10:00:00Z');
  const other = await openDatabase({ kind: 'postgres', url: await databaseUrl(database), maxConnections: 5 });
  t.teardown(() => other.close());
  const schedulers = [createScheduler({ database, clock, batchSize: 3 }), createScheduler({ database: other, clock, batchSize: 3 })];
  const results = await Promise.all(schedulers.map((scheduler) => scheduler.drain()));

  const events = await database.rows<{ type: string; subject_id: string }>(sql`select type, subject_id from outbox_events where org_id = ${org} and payload->>'actor' = 'tandem:scheduler'`);
  const declined = events.filter((e) => e.type === 'relationship.declined');
  t.equal(declined.length, 30, 'thirty invitations declined');
  t.equal(new Set(declined.map((e) => e.subject_id)).size, 30, 'each once');
  t.equal(events.filter((e) => e.type === 'programme.ending').length, 1, 'one programme.ending for both workers');
  const [jobs] = await database.rows<{ done: number; other: number }>(
    sql`select count(*) filter (where status = 'done')::int as done, count(*) filter (where status <> 'done')::int as other from scheduled_jobs where org_id = ${org}`,
  );
  t.equal(jobs!.other, 0, 'no job left pending or failed');
  const ran = results.reduce((sum, r) => sum + r.done, 0);
  t.equal(ran, jobs!.done, 'the jobs the two workers ran add up to the jobs done: none ran twice');
  t.comment(`jobs run by each worker: ${results.map((r) => r.done).join(' + ')}`);
  const [history] = await database.rows<{ n: number }>(sql`select count(*)::int as n from stage_history where org_id = ${org} and to_status = 'declined'`);
  t.equal(history!.n, 30, 'one history row per declined invitation');
});
