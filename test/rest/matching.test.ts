import { sql } from 'drizzle-orm';
import t from 'tap';
import { createScheduler } from '../../src/jobs/scheduler.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';

// A programme matched end to end over REST: suggestions with explanations, a run, a partial accept
// that opens relationships with their events, and another organisation's run answering 404.
const { app, auth, database } = await buildTestApp(t);

async function world() {
  const org = uniqueOrg('matching');
  const admin = client(app, auth({ org }));
  // Department and manager are directory fields (SCIM's enterprise extension): set here as an identity provider would.
  const person = async ({ department, managerId, ...overrides }: Record<string, unknown>) => {
    const created = await admin.must('POST', '/v1/people', personInput(overrides));
    if (department || managerId) {
      await database.rows(sql`update people set department = ${(department as string) ?? null}, manager_id = ${(managerId as string) ?? null} where org_id = ${org} and id = ${created.id} returning id`);
    }
    return { ...created, department: department ?? null, managerId: managerId ?? null };
  };
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Leaders of tomorrow', matching: { excludeSameDepartment: true } });
  const boss = await person({ name: 'Bea Boss', skills: ['Strategy'], capacity: 2, externalId: 'HR-BOSS', timezone: 'Europe/London', grade: 8 });
  const ada = await person({ name: 'Ada', skills: ['Leadership', 'Negotiation'], experienceYears: 12, grade: 6, capacity: 1, timezone: 'Europe/London', department: 'Sales' });
  const ben = await person({ name: 'Ben', skills: ['Public speaking', 'Negotiating'], experienceYears: 4, grade: 5, capacity: 1, timezone: 'Asia/Tokyo', department: 'Finance' });
  const cid = await person({ name: 'Cid', skills: ['Communication'], experienceYears: 6, grade: 5, capacity: 1, timezone: 'Europe/Paris', department: 'Ops' });
  const mia = await person({
    name: 'Mia',
    aspiration: 'I want to grow my leadership and negotiation skills',
    goalFocus: 'promotion',
    grade: 4,
    timezone: 'Europe/Berlin',
    managerId: 'HR-BOSS',
    department: 'Marketing',
    capacity: 0,
  });
  const noa = await person({ name: 'Noa', aspiration: 'Better communication with my stakeholders', grade: 4, timezone: 'Europe/Paris', department: 'Ops', capacity: 0, preferredMentorIds: [] });
  return { org, admin, programme, boss, ada, ben, cid, mia, noa };
}

t.test('suggestions rank mentors with explained factors and explain exclusions', async (t) => {
  const { admin, programme, boss, ada, ben, cid, mia, noa } = await world();
  const suggested = await admin.must('GET', `/v1/programmes/${programme.id}/mentees/${mia.id}/suggestions`);
  t.equal(suggested.suggestions[0].mentorId, ada.id, 'the mentor whose skills meet the aspiration comes first');
  const skills = suggested.suggestions[0].factors.find((f: { factor: string }) => f.factor === 'skills');
  t.match(skills, { weight: 3, value: 2 / 3, explanation: 'skills overlap with the aspiration: leadership, negotiation' });
  t.match(suggested.suggestions[0].factors.find((f: { factor: string }) => f.factor === 'grade'), { explanation: '2 grades above', value: 1 });
  t.match(suggested.suggestions[0].factors.find((f: { factor: string }) => f.factor === 'workingHours'), { explanation: /^7 of 8 working hours overlap/ });
  for (const suggestion of suggested.suggestions) {
    const sum = suggestion.factors.reduce((total: number, f: { contribution: number }) => total + f.contribution, 0);
    t.ok(Math.abs(sum - suggestion.score) < 1e-9, 'the factors add up to the score');
    t.ok(suggestion.score >= 0 && suggestion.score <= 1);
  }
  t.same(
    suggested.excluded.map((e: { mentorId: string; exclusions: { code: string }[] }) => [e.mentorId, e.exclusions.map((x) => x.code)]),
    [[boss.id, ['LINE_MANAGER']]],
    'the line manager is excluded, with the reason',
  );
  t.match(suggested.excluded[0].exclusions[0].message, 'Bea Boss is Mia’s line manager');

  const forNoa = await admin.must('GET', `/v1/programmes/${programme.id}/mentees/${noa.id}/suggestions?limit=1`);
  t.equal(forNoa.suggestions.length, 1);
  t.ok(forNoa.excluded.some((e: { mentorId: string; exclusions: { code: string }[] }) => e.mentorId === cid.id && e.exclusions[0]!.code === 'SAME_DEPARTMENT'), 'same department is excluded when the programme says so');
  t.notOk(forNoa.suggestions.some((s: { mentorId: string }) => s.mentorId === cid.id));
  t.ok([ada.id, ben.id, boss.id].includes(forNoa.suggestions[0].mentorId));
});

t.test('a run proposes an optimal match; a partial accept opens those relationships with their events', async (t) => {
  const { org, admin, programme, ada, mia, noa } = await world();
  const run = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs`, {});
  t.equal(run.status, 'completed');
  t.equal(run.menteeCount, 2);
  t.equal(run.pairs.length, 2, 'both mentees get a mentor');
  const miaPair = run.pairs.find((p: { menteeId: string }) => p.menteeId === mia.id);
  t.equal(miaPair.mentorId, ada.id);
  t.ok(run.objective >= run.greedyObjective - 1e-9, 'the optimum is at least the greedy total');
  t.ok(Math.abs(run.objective - run.pairs.reduce((sum: number, p: { score: number }) => sum + p.score, 0)) < 1e-9);
  t.same(await admin.must('GET', `/v1/programmes/${programme.id}/matching-runs/${run.id}`), run, 'read back as proposed');

  const accepted = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, { pairIds: [miaPair.id] });
  t.equal(accepted.relationships.length, 1);
  t.match(accepted.relationships[0], { mentorId: ada.id, menteeId: mia.id, programmeId: programme.id, stage: 'initiation', status: 'active' });
  const opened = await database.rows<{ payload: { menteeId: string } }>(sql`select payload from outbox_events where org_id = ${org} and type = 'relationship.opened'`);
  t.same(opened.map((e) => e.payload.menteeId), [mia.id], 'relationship.opened for the accepted pair only');
  const after = await admin.must('GET', `/v1/programmes/${programme.id}/matching-runs/${run.id}`);
  t.equal(after.pairs.find((p: { id: string }) => p.id === miaPair.id).relationshipId, accepted.relationships[0].id);
  t.equal(after.pairs.find((p: { menteeId: string }) => p.menteeId === noa.id).relationshipId, null);

  const again = await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, { pairIds: [miaPair.id] });
  t.equal(again.status, 409);
  t.match(again.body, { code: 'CONFLICT', reason: 'PAIR_ALREADY_ACCEPTED' });

  const rest = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, {});
  t.same(rest.relationships.map((r: { menteeId: string }) => r.menteeId), [noa.id], 'an empty body accepts the pairs still open');

  const second = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs`, {});
  t.same(second.pairs, [], 'matched mentees are not matched again');
  t.equal(second.menteeCount, 0, 'no mentee is left to match');
});

t.test('an accept that a change since the run makes impossible opens nothing and names the pair', async (t) => {
  const { org, admin, programme, ada, ben, cid } = await world();
  const mentees = await Promise.all(
    ['leadership', 'negotiation'].map((word) => admin.must('POST', '/v1/people', personInput({ aspiration: `More ${word} please`, capacity: 0, timezone: 'Europe/London' }))),
  );
  const run = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs`, { menteeIds: mentees.map((m) => m.id), mentorIds: [ada.id, ben.id] });
  t.equal(run.pairs.length, 2);
  const adaPair = run.pairs.find((p: { mentorId: string }) => p.mentorId === ada.id);
  // Ada's only place is taken in the meantime.
  await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: ada.id, menteeId: cid.id });
  const refused = await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, {});
  t.equal(refused.status, 409);
  t.match(refused.body, { reason: 'MENTOR_AT_CAPACITY', pairIds: [adaPair.id] });
  t.match(refused.body.detail, `Pair ${adaPair.id}`);
  const [{ n }] = (await database.rows<{ n: number }>(
    sql`select count(*)::int as n from relationships where org_id = ${org} and mentee_id in (${sql.join(mentees.map((m) => sql`${m.id}`), sql`, `)})`,
  )) as [{ n: number }];
  t.equal(n, 0, 'neither pair was opened');
});

t.test('a run and its acceptances belong to their organisation and to admins and managers', async (t) => {
  const { org, admin, programme } = await world();
  const run = await admin.must('POST', `/v1/programmes/${programme.id}/matching-runs`, {});
  const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
  t.equal((await stranger.call('GET', `/v1/programmes/${programme.id}/matching-runs/${run.id}`)).status, 404);
  t.equal((await stranger.call('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, {})).status, 404);
  const member = client(app, auth({ org, roles: ['member'] }));
  t.equal((await member.call('POST', `/v1/programmes/${programme.id}/matching-runs`, {})).status, 403);
  const otherProgramme = await admin.must('POST', '/v1/programmes', { name: 'Another' });
  t.equal((await admin.call('GET', `/v1/programmes/${otherProgramme.id}/matching-runs/${run.id}`)).status, 404, 'a run is read under its own programme');
});

t.test('matching profile fields are set and read through people', async (t) => {
  const { admin, mia, ada } = await world();
  const updated = await admin.must('PATCH', `/v1/people/${mia.id}`, { preferredMentorIds: [ada.id], location: 'Leeds', experienceYears: null });
  t.match(updated, { preferredMentorIds: [ada.id], location: 'Leeds', goalFocus: 'promotion', grade: 4, aspiration: /leadership/ });
  const bad = await admin.call('PATCH', `/v1/people/${mia.id}`, { goalFocus: 'fame' });
  t.equal(bad.status, 400);
});

t.test('a run in the background answers 202, is solved by the scheduler once, and announces matching_run.completed', async (t) => {
  const { org, admin, programme, mia, ada } = await world();
  const asked = await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs`, { background: true });
  t.equal(asked.status, 202);
  t.match(asked.body, { status: 'pending', pairs: [], objective: null });
  t.equal(asked.headers.location, `/v1/programmes/${programme.id}/matching-runs/${asked.body.id}`);
  t.equal((await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs/${asked.body.id}/acceptances`, {})).status, 409, 'a pending run cannot be accepted');

  const scheduler = createScheduler({ database });
  await scheduler.drain();
  await scheduler.drain();
  const run = await admin.must('GET', `/v1/programmes/${programme.id}/matching-runs/${asked.body.id}`);
  t.equal(run.status, 'completed');
  t.equal(run.pairs.find((p: { menteeId: string }) => p.menteeId === mia.id)?.mentorId, ada.id);
  const completed = await database.rows<{ payload: Record<string, unknown> }>(sql`select payload from outbox_events where org_id = ${org} and type = 'matching_run.completed'`);
  t.equal(completed.length, 1, 'announced once, however often the scheduler runs');
  t.match(completed[0]?.payload, { runId: run.id, programmeId: programme.id, pairs: run.pairs.length, objective: run.objective });
});

t.test('a background run the scheduler cannot solve in any attempt is marked failed, with the error, and announced', async (t) => {
  const { org, admin, programme } = await world();
  const asked = await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs`, { background: true });
  t.equal(asked.status, 202);
  // A fault that outlasts every retry: this organisation's runs cannot be completed.
  await database.rows(sql.raw(`create or replace function refuse_run_completion() returns trigger language plpgsql as $$ begin raise exception 'the solver ran out of memory'; end $$`));
  await database.rows(sql.raw(`create trigger refuse_run_completion before update on matching_runs for each row when (new.status = 'completed' and new.org_id = '${org}') execute function refuse_run_completion()`));
  t.teardown(() => database.rows(sql.raw('drop trigger if exists refuse_run_completion on matching_runs')));

  let now = new Date();
  const scheduler = createScheduler({ database, clock: () => now });
  const outcomes = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    outcomes.push(await scheduler.drain());
    now = new Date(now.getTime() + 20 * 60_000); // past the longest wait between attempts
  }
  t.same(outcomes.map((o) => o.retried + o.failed), [1, 1, 1, 1, 1, 0], 'four retries, then given up');
  const run = await admin.must('GET', `/v1/programmes/${programme.id}/matching-runs/${asked.body.id}`);
  t.match(run, { status: 'failed', failure: 'Failed in all 5 attempts of the scheduler; the last: the solver ran out of memory', pairs: [] }, 'a poller learns the run failed, and why');
  t.notMatch(run.failure, /update|matching_runs|params/, 'in words, without the statement that failed');
  t.ok(run.completedAt, 'and when');
  const failed = await database.rows<{ payload: Record<string, unknown> }>(sql`select payload from outbox_events where org_id = ${org} and type = 'matching_run.failed'`);
  t.equal(failed.length, 1, 'announced once');
  t.match(failed[0]?.payload, { runId: run.id, programmeId: programme.id, failure: run.failure });
  const completed = await database.rows(sql`select 1 from outbox_events where org_id = ${org} and type = 'matching_run.completed'`);
  t.equal(completed.length, 0, 'never announced as completed');
  t.equal((await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs/${run.id}/acceptances`, {})).status, 409, 'a failed run cannot be accepted');
});

t.test('should marking the run failed fail too, the job is still left failed, and its error says both', async (t) => {
  const { org, admin, programme } = await world();
  const asked = await admin.call('POST', `/v1/programmes/${programme.id}/matching-runs`, { background: true });
  await database.rows(sql.raw(`create or replace function refuse_run_change() returns trigger language plpgsql as $$ begin raise exception 'matching_runs is read-only'; end $$`));
  await database.rows(sql.raw(`create trigger refuse_run_change before update on matching_runs for each row when (new.org_id = '${org}') execute function refuse_run_change()`));
  t.teardown(() => database.rows(sql.raw('drop trigger if exists refuse_run_change on matching_runs')));

  let now = new Date();
  const scheduler = createScheduler({ database, clock: () => now });
  let failed = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    failed += (await scheduler.drain()).failed;
    now = new Date(now.getTime() + 20 * 60_000);
  }
  t.equal(failed, 1, 'the job is given up once, not retried for ever');
  const [job] = await database.rows<{ status: string; last_error: string }>(sql`select status, last_error from scheduled_jobs where org_id = ${org} and kind = 'matching_run'`);
  t.equal(job?.status, 'failed');
  t.match(job?.last_error, /^Recording that the job gave up failed: matching_runs is read-only\. The last attempt: /, 'the operator reads why the run could not be marked failed');
  const run = await admin.must('GET', `/v1/programmes/${programme.id}/matching-runs/${asked.body.id}`);
  t.equal(run.status, 'pending', 'the run could not be changed at all');
});
