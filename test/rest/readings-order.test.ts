import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';
import { idCursor } from '../../src/domain/pagination.ts';

// One order per list (issue 28): a metric's readings by when they were measured, then by id, on
// REST as on GraphQL. A reading recorded late (measured last week, entered today) takes its place.
const { app, auth } = await buildTestApp(t);

t.test('readings come in the order they were measured on REST as on GraphQL, paged and resumed alike', async (t) => {
  const headers = auth({ org: uniqueOrg('readings-order') });
  const api = client(app, headers);
  const programme = await api.must('POST', '/v1/programmes', { name: 'Readings programme' });
  const mentor = await api.must('POST', '/v1/people', personInput());
  const mentee = await api.must('POST', '/v1/people', personInput());
  const rel = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
  const goal = await api.must('POST', `/v1/relationships/${rel.id}/goals`, smartGoalInput());
  const metric = goal.metrics[0];
  const readingsUrl = `/v1/relationships/${rel.id}/goals/${goal.id}/metrics/${metric.id}/readings`;
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  // Recorded in this order; measured 3, 1, 5, 2 and 4 days ago: two of them entered late.
  const recorded: { id: string; at: string }[] = [];
  for (const [value, days] of [[1, 3], [2, 1], [3, 5], [4, 2], [5, 4]] as const) recorded.push((await api.must('POST', readingsUrl, { value, at: daysAgo(days) })).reading);
  const measured = [...recorded].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((r) => r.id);

  const pages: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await api.must('GET', `${readingsUrl}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    pages.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  t.same(pages, measured, 'REST: by when they were measured, across pages of two');

  const { data } = await gql(app, headers).call(`query ($id: ID!) { relationship(id: $id) { goals { metrics { readings(last: 10) { id } } } } }`, { id: rel.id });
  t.same(data.relationship.goals[0].metrics[0].readings.map((r: { id: string }) => r.id), measured, 'GraphQL: the same order');

  const legacy = idCursor.encode(measured[1]!);
  const resumed = await api.must('GET', `${readingsUrl}?limit=10&cursor=${legacy}`);
  t.same(resumed.items.map((r: { id: string }) => r.id), measured.slice(2), 'a cursor issued when readings paged by id resumes after the reading it names');
  t.match(await api.call('GET', `${readingsUrl}?cursor=${Buffer.from('m1:nope|x').toString('base64url')}`), { status: 400 }, 'a cursor this API did not issue is a 400');
});
