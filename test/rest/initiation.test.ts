import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, seedWorld } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';

// The first stage's smaller facts: acceptance notes, the mentee's hopes and challenges, why a
// relationship was declined and whom it was referred to; and erasure revoking calendar feeds.
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

t.test('acceptance notes are kept on the relationship; the first acceptance stands', async (t) => {
  const { org, admin, graphql, relationship } = await world();
  const base = `/v1/relationships/${relationship.id}/acceptances`;
  await admin.must('POST', base, { party: 'mentor', note: 'Happy to help with leadership.' });
  const both = await admin.must('POST', base, { party: 'mentee', note: ' Looking forward to it ' });
  t.match(both, { mentorAcceptanceNote: 'Happy to help with leadership.', menteeAcceptanceNote: 'Looking forward to it' });
  const again = await admin.must('POST', base, { party: 'mentor', note: 'Changed my mind about the note' });
  t.equal(again.mentorAcceptanceNote, 'Happy to help with leadership.', 'accepting twice keeps the first note');
  const { relationship: read } = await graphql.must(`query ($id: ID!) { relationship(id: $id) { mentorAcceptanceNote menteeAcceptanceNote } }`, { id: relationship.id });
  t.same(read, { mentorAcceptanceNote: 'Happy to help with leadership.', menteeAcceptanceNote: 'Looking forward to it' });
  const accepted = await events(org, 'relationship.accepted');
  t.same(accepted.map((e) => e.payload.note), ['Happy to help with leadership.', 'Looking forward to it']);
});

t.test("the mentee's hopes and challenges: set, changed, shown in REST and GraphQL, with an event", async (t) => {
  const { org, admin, graphql, relationship, mentee } = await world();
  const menteeApi = client(app, auth({ org, roles: ['member'], sub: mentee.id }));
  const url = `/v1/relationships/${relationship.id}/rapport`;
  const set = await menteeApi.call('PUT', url, { hopes: 'Lead a team within a year', challenges: 'Little time to prepare' }, { 'if-match': `"${relationship.version}"` });
  t.equal(set.status, 200);
  t.match(set.body, { hopes: 'Lead a team within a year', challenges: 'Little time to prepare', version: relationship.version + 1 });
  t.equal(set.headers.etag, `"${relationship.version + 1}"`);
  const stale = await menteeApi.call('PUT', url, { hopes: 'x' }, { 'if-match': `"${relationship.version}"` });
  t.equal(stale.status, 412, 'a stale If-Match is refused');
  const bad = await admin.call('PUT', url, { hopes: 42 });
  t.equal(bad.status, 400);
  t.equal(bad.body.errors[0].path, 'body.hopes');
  const { setRapport } = await graphql.must(
    `mutation ($id: ID!, $input: RapportInput!) { setRapport(relationshipId: $id, input: $input) { hopes challenges version } }`,
    { id: relationship.id, input: { hopes: 'Lead a team this year' } },
  );
  t.same(setRapport, { hopes: 'Lead a team this year', challenges: null, version: relationship.version + 2 }, 'a PUT replaces both');
  t.equal((await admin.must('GET', `/v1/relationships/${relationship.id}`)).hopes, 'Lead a team this year');
  const rapport = await events(org, 'relationship.rapport_set');
  t.same(
    rapport.map((e) => [e.payload.hopes, e.payload.challenges, e.payload.version]),
    [
      ['Lead a team within a year', 'Little time to prepare', relationship.version + 1],
      ['Lead a team this year', null, relationship.version + 2],
    ],
  );
});

t.test('a referral names only someone who can mentor: 422 otherwise, nothing changed', async (t) => {
  const { org, admin, relationship } = await world();
  const url = `/v1/relationships/${relationship.id}/transitions`;
  const noProfile = await admin.must('POST', '/v1/people', personInput({ externalId: `N-${org}` }));
  const noCapacity = await admin.must('POST', '/v1/people', personInput({ externalId: `Z-${org}`, skills: ['Coaching'], capacity: 0 }));
  const busy = await admin.must('POST', '/v1/people', personInput({ externalId: `B-${org}`, skills: ['Coaching'], capacity: 1 }));
  const busyMentee = await admin.must('POST', '/v1/people', personInput({ externalId: `BM-${org}` }));
  await admin.must('POST', '/v1/relationships', { programmeId: relationship.programmeId, mentorId: busy.id, menteeId: busyMentee.id });
  for (const [label, person, reason] of [
    ['no mentor profile', noProfile, 'REFERRAL_NOT_A_MENTOR'],
    ['capacity 0', noCapacity, 'REFERRAL_NOT_A_MENTOR'],
    ['no capacity left', busy, 'REFERRAL_AT_CAPACITY'],
  ] as const) {
    const refused = await admin.call('POST', url, { to: 'declined', reason: 'not a fit', referralMentorId: person.id });
    t.equal(refused.status, 422, label);
    t.match(refused.body, { code: 'UNPROCESSABLE', reason, errors: [{ path: 'referralMentorId' }] }, label);
  }
  const alone = await admin.call('POST', url, { to: 'declined', openReferral: true });
  t.equal(alone.status, 400, 'openReferral needs a referral');
  t.equal(alone.body.errors[0].path, 'openReferral');
  t.equal((await admin.must('GET', `/v1/relationships/${relationship.id}`)).status, 'active', 'nothing changed');
});

t.test('a decline may open the referred relationship in the same transaction, linked both ways', async (t) => {
  const { org, admin, graphql, relationship, mentee } = await world();
  const referred = await admin.must('POST', '/v1/people', personInput({ externalId: `R-${org}`, skills: ['Leadership'], experienceSummary: 'Led teams for ten years' }));
  const declined = await admin.must('POST', `/v1/relationships/${relationship.id}/transitions`, { to: 'declined', reason: 'calendar full', referralMentorId: referred.id, openReferral: true });
  t.match(declined, { status: 'declined', declineReason: 'calendar full', referralMentorId: referred.id });
  t.ok(declined.referredToId, 'the declined relationship names the one it opened');
  const opened = await admin.must('GET', `/v1/relationships/${declined.referredToId}`);
  t.match(opened, { status: 'active', stage: 'initiation', mentorId: referred.id, menteeId: mentee.id, programmeId: relationship.programmeId, referredFromId: relationship.id, aspiration: relationship.aspiration });
  const { relationship: screen } = await graphql.must(`query ($id: ID!) { relationship(id: $id) { referredToId referralMentor { id } } }`, { id: relationship.id });
  t.same(screen, { referredToId: opened.id, referralMentor: { id: referred.id } });
  const [declinedEvent] = await events(org, 'relationship.declined');
  t.match(declinedEvent?.payload, { referralMentorId: referred.id, referredToId: opened.id, declineReason: 'calendar full' });
  const openedEvents = await events(org, 'relationship.opened');
  t.match(openedEvents.at(-1)?.payload, { relationshipId: opened.id, referredFromId: relationship.id });

  const again = await seedWorld(admin);
  const without = await admin.must('POST', `/v1/relationships/${again.relationship.id}/transitions`, { to: 'declined', referralMentorId: referred.id });
  t.equal(without.referredToId, null, 'a referral alone opens nothing');
});

t.test('erasure revokes the person\'s calendar feeds', async (t) => {
  const { admin, mentee } = await world();
  const feed = await admin.must('POST', `/v1/people/${mentee.id}/calendar-feed`);
  t.equal((await app.inject({ method: 'GET', url: feed.url })).statusCode, 200, 'the feed answers before');
  await admin.must('POST', `/v1/people/${mentee.id}/erase`);
  t.equal((await app.inject({ method: 'GET', url: feed.url })).statusCode, 404, 'and not after erasure');
});
