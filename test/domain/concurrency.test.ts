import t from 'tap';
import { sql } from 'drizzle-orm';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';

const { app, auth, database } = await buildTestApp(t);
const onPostgres = database.kind === 'postgres';

async function openAcceptedRelationship(api: ReturnType<typeof client>) {
  const programme = await api.must('POST', '/v1/programmes', { name: 'Race programme' });
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  await api.must('POST', `/v1/relationships/${rel.id}/acceptances`, { party: 'mentor' });
  return api.must('POST', `/v1/relationships/${rel.id}/acceptances`, { party: 'mentee' });
}

t.test(`50 concurrent transitions from the same version: exactly one wins (${database.kind})`, async (t) => {
  const api = client(app, auth({ org: uniqueOrg('race') }));
  const rel = await openAcceptedRelationship(api);
  const racers = Array.from({ length: 50 }, (_, i) =>
    api.call('POST', `/v1/relationships/${rel.id}/transitions`, { to: i % 2 ? 'negotiation' : 'declined', reason: `racer ${i}` }, { 'if-match': `"${rel.version}"` }),
  );
  const results = await Promise.all(racers);
  const winners = results.filter((r) => r.status === 200);
  t.equal(winners.length, 1, 'exactly one transition succeeds');
  t.same(
    [...new Set(results.filter((r) => r.status !== 200).map((r) => r.status))],
    [412],
    'every other racer is refused as a version conflict',
  );

  const history = await api.must('GET', `/v1/relationships/${rel.id}/transitions?limit=100`);
  t.equal(history.items.length, 2, 'opened + one transition: no duplicate history');
  const versions = history.items.map((h: { version: number }) => h.version);
  t.equal(new Set(versions).size, versions.length, 'no two history rows share a version');
  t.equal(versions.at(-1), winners[0]!.body.version);

  const [counted] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from outbox_events where subject_id = ${rel.id} and type = 'relationship.stage_changed'`,
  );
  t.equal(counted?.n, 1, 'one stage_changed event per successful transition');
});

t.test(`concurrent transitions without If-Match: one wins, the rest see the new stage (${database.kind})`, async (t) => {
  const api = client(app, auth({ org: uniqueOrg('race2') }));
  const rel = await openAcceptedRelationship(api);
  const results = await Promise.all(
    Array.from({ length: 20 }, () => api.call('POST', `/v1/relationships/${rel.id}/transitions`, { to: 'declined' })),
  );
  t.equal(results.filter((r) => r.status === 200).length, 1);
  t.ok(
    results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.type === '/problems/relationship-ended' && r.body.relationshipStatus === 'declined'),
    'the losers are told the relationship has ended',
  );
  if (!onPostgres) t.comment('PGlite runs transactions one after another; the real race is exercised on PostgreSQL');
});
