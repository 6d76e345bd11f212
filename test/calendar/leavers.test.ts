import nodeIcal from 'node-ical';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { scimClient } from '../scim/scim-client.ts';

// A leaver leaves: for each way of leaving (SCIM DELETE, SCIM PUT or PATCH active=false, SCIM
// provisioning an adopted person inactive, erasure), the person's calendar feed answers as a
// revoked one does; the partner's feed keeps working without the sessions that will not take place
// with someone who has left; reactivation revives no old secret.
const { app, auth, config } = await buildTestApp(t);
const soon = (hours: number) => new Date(Math.floor((Date.now() + hours * 3_600_000) / 1000) * 1000).toISOString();
type Parsed = ReturnType<typeof nodeIcal.sync.parseICS>;
const events = (parsed: Parsed) => Object.values(parsed).filter((entry) => entry?.type === 'VEVENT') as nodeIcal.VEvent[];
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

async function world(policy: 'withdraw' | 'keep') {
  const org = uniqueOrg('leaver');
  const admin = client(app, auth({ org }));
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Leavers', onPersonDeactivated: policy });
  const partner = await admin.must('POST', '/v1/people', personInput({ name: 'Pat Partner' }));
  const externalId = `HR-${org}`;
  const provisioned = await scim('POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: `lee.${org}@example.com`,
    name: { givenName: 'Lee', familyName: 'Leaver' },
    emails: [{ primary: true, value: `lee.${org}@example.com`, type: 'work' }],
    externalId,
    active: true,
  });
  if (provisioned.status !== 201) throw new Error(JSON.stringify(provisioned.body));
  const leaver = provisioned.body;
  const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: partner.id, menteeId: leaver.id });
  const rel = `/v1/relationships/${relationship.id}`;
  const session = await admin.must('POST', `${rel}/sessions/planned`, { plannedAt: soon(24), agenda: 'Career plan for Lee' });
  const goal = await admin.must('POST', `${rel}/goals`, smartGoalInput());
  const leaverFeed = await admin.must('POST', `/v1/people/${leaver.id}/calendar-feed`);
  const partnerFeed = await admin.must('POST', `/v1/people/${partner.id}/calendar-feed`);
  return { org, admin, scim, externalId, partner, leaver, session, goal, leaverFeed, partnerFeed };
}
type World = Awaited<ReturnType<typeof world>>;

const read = (url: string) => app.inject({ method: 'GET', url });
const uids = (body: string) => events(nodeIcal.sync.parseICS(body)).map((e) => e.uid);

const putUser = (w: World, active: boolean) =>
  w.scim('PUT', `/Users/${w.leaver.id}`, {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: w.leaver.userName,
    name: { givenName: 'Lee', familyName: 'Leaver' },
    externalId: w.externalId,
    active,
  });
const patchUser = (w: World, active: boolean) => w.scim('PATCH', `/Users/${w.leaver.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active } }] });

const WAYS: { name: string; leave(w: World): Promise<{ status: number }>; reactivate?(w: World): Promise<{ status: number }> }[] = [
  {
    name: 'SCIM DELETE',
    leave: (w) => w.scim('DELETE', `/Users/${w.leaver.id}`),
    // The identity provider provisions them again: the same person is adopted by externalId.
    reactivate: (w) =>
      w.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: w.leaver.userName, name: { givenName: 'Lee', familyName: 'Leaver' }, externalId: w.externalId, active: true }),
  },
  { name: 'SCIM PUT active=false', leave: (w) => putUser(w, false), reactivate: (w) => putUser(w, true) },
  { name: 'SCIM PATCH active=false', leave: (w) => patchUser(w, false), reactivate: (w) => patchUser(w, true) },
  { name: 'erasure', leave: (w) => w.admin.call('POST', `/v1/people/${w.leaver.id}/erase`) },
];

for (const way of WAYS) {
  for (const policy of ['keep', 'withdraw'] as const) {
    t.test(`${way.name} (programme: ${policy}): the leaver's feed is refused, the partner's no longer shows the pair's sessions`, async (t) => {
      const w = await world(policy);
      t.equal((await read(w.leaverFeed.url)).statusCode, 200, 'before: the feed answers');
      t.ok(uids((await read(w.partnerFeed.url)).body).includes(`session-${w.session.id}@tandem`), "before: the partner's feed has the pair's session");

      const left = await way.leave(w);
      t.ok(left.status < 300, `${way.name} answered ${left.status}`);
      const refused = await read(w.leaverFeed.url);
      t.equal(refused.statusCode, 404, "the leaver's feed answers as a revoked feed does");
      t.equal(refused.json().type, '/problems/not-found');
      t.notMatch(refused.body, /Career plan|Pat Partner/, 'and shows nothing of the pair');

      const partner = await read(w.partnerFeed.url);
      t.equal(partner.statusCode, 200, "the partner's feed keeps working");
      const theirs = uids(partner.body);
      t.notOk(theirs.includes(`session-${w.session.id}@tandem`), 'without the session planned with someone who has left');
      t.notOk(theirs.includes(`goal-${w.goal.id}@tandem`), "nor the leaver's goals (the partner is the mentor)");
      t.notMatch(partner.body, /Lee Leaver|Career plan/, "the leaver's name and the agenda are gone from the partner's calendar");

      const remade = await w.admin.call('POST', `/v1/people/${w.leaver.id}/calendar-feed`);
      t.equal(remade.status, 409, 'no new feed for a person who has left');
      t.equal(remade.body.type, '/problems/conflict');

      if (way.reactivate) {
        const back = await way.reactivate(w);
        t.ok(back.status < 300, `reactivated (${back.status})`);
        t.equal((await read(w.leaverFeed.url)).statusCode, 404, 'reactivation does not revive the old secret');
        const fresh = await w.admin.must('POST', `/v1/people/${w.leaver.id}/calendar-feed`);
        t.equal((await read(fresh.url)).statusCode, 200, 'a new feed made on purpose answers');
      }
    });
  }
}

t.test('SCIM provisioning adopts a person of the HR sync as inactive: their feed is refused', async (t) => {
  const org = uniqueOrg('adopt');
  const admin = client(app, auth({ org }));
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const person = await admin.must('POST', '/v1/people', personInput({ name: 'Ada Adopted', externalId: `HR-${org}` }));
  const feed = await admin.must('POST', `/v1/people/${person.id}/calendar-feed`);
  t.equal((await read(feed.url)).statusCode, 200);
  const adopted = await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `ada.${org}@example.com`, externalId: `HR-${org}`, active: false });
  t.equal(adopted.status, 201, JSON.stringify(adopted.body));
  t.equal(adopted.body.id, person.id, 'the same person, adopted');
  t.equal((await read(feed.url)).statusCode, 404, 'provisioned inactive: the feed is revoked');
});

t.test("a member who has left cannot make or keep a feed with their own token", async (t) => {
  const w = await world('keep');
  const member = client(app, auth({ org: w.org, roles: ['member'], sub: w.externalId }));
  const own = await member.must('POST', `/v1/people/${w.leaver.id}/calendar-feed`);
  t.equal((await read(own.url)).statusCode, 200);
  await patchUser(w, false);
  t.equal((await read(own.url)).statusCode, 404, 'revoked when they left');
  t.equal((await member.call('POST', `/v1/people/${w.leaver.id}/calendar-feed`)).status, 404, 'their token stands for no one');
});

t.test("when the mentor leaves a kept relationship, the mentee's feed keeps their goals' due dates but not the sessions", async (t) => {
  const org = uniqueOrg('mentor-leaves');
  const admin = client(app, auth({ org }));
  const scim = scimClient(app, config, { org, scope: 'scim' });
  const programme = await admin.must('POST', '/v1/programmes', { name: 'Kept pairs', onPersonDeactivated: 'keep' });
  const mentor = (await scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `mo.${org}@example.com`, name: { givenName: 'Mo', familyName: 'Mentor' }, active: true })).body;
  const mentee = await admin.must('POST', '/v1/people', personInput({ name: 'Em Mentee' }));
  const relationship = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id });
  const rel = `/v1/relationships/${relationship.id}`;
  const session = await admin.must('POST', `${rel}/sessions/planned`, { plannedAt: soon(24), agenda: 'Next steps' });
  const goal = await admin.must('POST', `${rel}/goals`, smartGoalInput());
  const feed = await admin.must('POST', `/v1/people/${mentee.id}/calendar-feed`);
  t.equal((await scim('DELETE', `/Users/${mentor.id}`)).status, 204);
  t.equal((await admin.must('GET', rel)).status, 'active', 'the programme keeps the relationship');
  const body = (await read(feed.url)).body;
  const theirs = uids(body);
  t.notOk(theirs.includes(`session-${session.id}@tandem`), 'the session with the mentor who left is gone');
  t.ok(theirs.includes(`goal-${goal.id}@tandem`), "the mentee's goal is still due");
  t.ok(theirs.includes(`task-${goal.tasks[0].id}@tandem`), 'and its tasks');
  t.notMatch(body, /Mo Mentor/);
});
