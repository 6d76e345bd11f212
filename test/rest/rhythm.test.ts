import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { agreementInput, client, personInput } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';

// The agreement's rhythm: validated with a clear error, the next expected session derived and
// shown (REST and GraphQL), sessions held counted against it.
const clock = { now: Date.parse('2026-03-20T12:00:00Z') };
const { app, auth, database } = await buildTestApp(t, { clock: () => new Date(clock.now) });
const rhythm = { rrule: 'FREQ=WEEKLY;BYDAY=TU', timeZone: 'Europe/London', startsAt: '2026-03-03T16:00', minutes: 45 };

async function pair() {
  const org = uniqueOrg('rhythm');
  const admin = client(app, auth({ org }));
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Rhythm' });
  const mentor = await admin.must('POST', '/v1/people', personInput());
  const mentee = await admin.must('POST', '/v1/people', personInput());
  const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  return { org, admin, relationship, url: `/v1/relationships/${relationship.id}` };
}

t.test('a bad rhythm is refused with the field and the reason, and changes nothing', async (t) => {
  const { admin, url } = await pair();
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ rrule: 'every tuesday' }, 'body.rhythm.rrule', /RFC 5545/],
    [{ rrule: 'FREQ=MINUTELY' }, 'body.rhythm.rrule', /DAILY, WEEKLY, MONTHLY or YEARLY/],
    [{ timeZone: 'Europe/Atlantis' }, 'body.rhythm.timeZone', /IANA/],
    [{ startsAt: '2026-03-03T16:00:00Z' }, 'body.rhythm.startsAt', /without offset/],
    [{ startsAt: '2026-02-30T16:00' }, 'body.rhythm.startsAt', /real date/],
  ];
  for (const [change, path, message] of cases) {
    const refused = await admin.call('PUT', `${url}/agreement`, { ...agreementInput(), rhythm: { ...rhythm, ...change } });
    t.equal(refused.status, 400, JSON.stringify(change));
    t.equal(refused.body.errors[0].path, path);
    t.match(refused.body.errors[0].message, message);
  }
  t.equal((await admin.must('GET', url)).agreement, null, 'nothing was agreed');
  t.same(await admin.must('GET', `${url}/rhythm`), { relationshipId: (await admin.must('GET', url)).id, rhythm: null, nextExpectedAt: null, upcoming: [], expectedSoFar: 0, heldSoFar: 0, lastHeldAt: null });
});

t.test('the next expected session is derived and shown; held sessions count against the rhythm', async (t) => {
  const { admin, url, org, relationship } = await pair();
  const set = await admin.must('PUT', `${url}/agreement`, { ...agreementInput(), rhythm });
  t.same(set.agreement.rhythm, rhythm, 'kept as given');
  await admin.must('POST', `${url}/sessions`, { kind: 'regular', heldAt: '2026-03-03T16:05:00Z', minutes: 45 });
  await admin.must('POST', `${url}/sessions`, { kind: 'regular', heldAt: '2026-03-17T16:00:00Z', minutes: 40 });
  await admin.must('POST', `${url}/sessions`, { kind: 'regular', heldAt: '2026-02-10T16:00:00Z', minutes: 40 });
  const status = await admin.must('GET', `${url}/rhythm`);
  t.same(status, {
    relationshipId: relationship.id,
    rhythm,
    nextExpectedAt: '2026-03-24T16:00:00.000Z',
    upcoming: ['2026-03-24T16:00:00.000Z', '2026-03-31T15:00:00.000Z', '2026-04-07T15:00:00.000Z', '2026-04-14T15:00:00.000Z', '2026-04-21T15:00:00.000Z'],
    expectedSoFar: 3,
    heldSoFar: 2,
    lastHeldAt: '2026-03-17T16:00:00.000Z',
  }, 'after 29 March London is on summer time: still 16:00 on the wall');

  const [event] = await database.rows<{ payload: { version: number; nextExpectedAt: string; rhythm: unknown } }>(
    sql`select payload from outbox_events where org_id = ${org} and type = 'relationship.agreement_set'`,
  );
  t.equal(event!.payload.version, set.version, 'the agreement event carries the relationship version');
  t.equal(event!.payload.nextExpectedAt, '2026-03-24T16:00:00.000Z');

  const screen = await gql(app, auth({ org })).must(
    `query ($id: ID!) { relationship(id: $id) { agreement { rhythm { rrule timeZone startsAt minutes } } rhythm { nextExpectedAt upcoming expectedSoFar heldSoFar lastHeldAt rhythm { rrule } } } }`,
    { id: relationship.id },
  );
  t.same(screen.relationship.agreement.rhythm, rhythm);
  t.same(screen.relationship.rhythm, { nextExpectedAt: status.nextExpectedAt, upcoming: status.upcoming, expectedSoFar: 3, heldSoFar: 2, lastHeldAt: status.lastHeldAt, rhythm: { rrule: rhythm.rrule } });

  await admin.must('POST', `${url}/transitions`, { to: 'withdrawn', reason: 'moved on' });
  t.equal((await admin.must('GET', `${url}/rhythm`)).nextExpectedAt, null, 'an ended relationship expects no session');
});

t.test('GraphQL sets the rhythm with the same validation', async (t) => {
  const { org, relationship } = await pair();
  const api = gql(app, auth({ org }));
  const SET = `mutation ($id: ID!, $agreement: AgreementInput!) { setAgreement(relationshipId: $id, agreement: $agreement) { agreement { rhythm { rrule minutes } } } }`;
  const bad = await api.refusal(SET, { id: relationship.id, agreement: { ...agreementInput(), rhythm: { ...rhythm, rrule: 'FREQ=SECONDLY' } } });
  t.equal(bad.extensions.code, 'BAD_USER_INPUT');
  t.equal(bad.extensions.errors[0].path, 'rhythm.rrule');
  const { setAgreement } = await api.must(SET, { id: relationship.id, agreement: { ...agreementInput(), rhythm: { rrule: 'FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO', timeZone: 'Asia/Kolkata', startsAt: '2026-04-06T10:00' } } });
  t.same(setAgreement.agreement.rhythm, { rrule: 'FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO', minutes: 60 }, 'minutes default to 60');
  const { relationship: read } = await api.must(`query ($id: ID!) { relationship(id: $id) { rhythm { nextExpectedAt } } }`, { id: relationship.id });
  t.equal(read.rhythm.nextExpectedAt, '2026-04-06T04:30:00.000Z', 'the first Monday of April, 10:00 in Kolkata');
});
