import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, seedWorld } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';

// The first stage's smaller facts: why a relationship was declined.
const { app, auth, database } = await buildTestApp(t);

async function world() {
  const org = uniqueOrg('initiation');
  const admin = client(app, auth({ org }));
  return { org, admin, graphql: gql(app, auth({ org })), ...(await seedWorld(admin)) };
}

const events = (org: string, type: string) =>
  database.rows<{ payload: Record<string, unknown> }>(sql`select payload from outbox_events where org_id = ${org} and type = ${type} order by seq`);

t.test('a decline keeps its reason on the relationship and in the event', async (t) => {
  const { org, admin, relationship } = await world();
  const declined = await admin.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'declined', reason: 'expired' });
  t.match(declined, { status: 'declined', declineReason: 'expired' });
  t.equal((await admin.must('GET', `/v1/relationships/${relationship.id}`)).declineReason, 'expired', 'read back');
  const [event] = await events(org, 'relationship.declined');
  t.match(event?.payload, { declineReason: 'expired', reason: 'expired', version: declined.version });
});

t.test('a decline without a reason still works (existing integrations); the reason is null', async (t) => {
  const { org, admin, graphql, relationship } = await world();
  const { transitionRelationship: declined } = await graphql.must(
    `mutation ($id: ID!) { transitionRelationship(relationshipId: $id, input: { to: "declined", reason: "  " }) { status declineReason } }`,
    { id: relationship.id },
  );
  t.same(declined, { status: 'declined', declineReason: null });
  const [event] = await events(org, 'relationship.declined');
  t.equal(event?.payload.declineReason, null);
  t.equal((await admin.must('GET', `/v1/relationships/${relationship.id}`)).declineReason, null);
});

t.test('only a decline records a decline reason', async (t) => {
  const { admin, graphql, relationship } = await world();
  const withdrawn = await admin.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'withdrawn', reason: 'moved on' });
  t.equal(withdrawn.declineReason, null);
  const { relationship: read } = await graphql.must(`query ($id: ID!) { relationship(id: $id) { status declineReason } }`, { id: relationship.id });
  t.same(read, { status: 'withdrawn', declineReason: null });
});
