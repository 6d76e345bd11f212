import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput, smartGoalInput } from '../helpers/fixtures.ts';
import { gql } from '../graphql/gql-client.ts';
import { scimClient } from '../scim/scim-client.ts';

// Export and erasure of a person's data (GDPR art. 15, 17, 20). After erasure, nothing Tandem
// answers or holds for the organisation carries the person's personal data: every REST read,
// GraphQL, SCIM, the event log, and (the strongest check) every row of every table of the
// database, where the events webhooks and pollers receive are kept.
let offset = 0;
const { app, auth, config, database } = await buildTestApp(t, { clock: () => new Date(Date.now() + offset) });
const rows = async (query: ReturnType<typeof sql>) => {
  const result = (await database.db.execute(query)) as unknown as { rows?: Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(result) ? result : (result.rows ?? []);
};

const tag = Math.random().toString(36).slice(2, 8);
const secret = {
  name: `Zelda Quintessa ${tag}`,
  email: `zq-${tag}@example.test`,
  externalId: `HR-${tag}`,
  userName: `zq.${tag}@idp.test`,
  phone: `+44 7700 9${tag}`,
  skill: `Skill-${tag}`,
  summary: `Summary-${tag}`,
  aspiration: `Aspiration-${tag}`,
  reflection: `Reflection-${tag}`,
  notes: `Notes-${tag}`,
  reason: `Reason-${tag}`,
  taskNote: `TaskNote-${tag}`,
  readingNote: `ReadingNote-${tag}`,
  acceptNote: `AcceptNote-${tag}`,
  department: `Department-${tag}`,
  achievedDespite: `AchievedDespite-${tag}`,
};
const secrets = Object.values(secret);
const leaks = (payload: unknown) => {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return secrets.filter((value) => text.includes(value) || text.toLowerCase().includes(value.toLowerCase()));
};

const org = uniqueOrg('gdpr');
const admin = client(app, auth({ org }));
const programme = await admin.must('POST', '/v1/programmes', { name: 'Personal data' });
const keeping = await admin.must('POST', '/v1/programmes', { name: 'Keeps pairs', onPersonDeactivated: 'keep' });
const mentor = await admin.must('POST', '/v1/people', personInput({ capacity: 5 }));
// The HR sync creates the person (with an Idempotency-Key, so a replayable response holds them)…
const created = await admin.must(
  'POST',
  '/v1/people',
  { name: secret.name, email: secret.email, externalId: secret.externalId, skills: [secret.skill], experienceSummary: secret.summary },
  { 'idempotency-key': `create-${tag}` },
);
// …and the identity provider takes them over.
const scim = scimClient(app, config, { org, scope: 'scim' });
const provisioned = await scim('POST', '/Users', {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  userName: secret.userName,
  externalId: secret.externalId,
  name: { givenName: 'Zelda', familyName: `Quintessa ${tag}` },
  displayName: secret.name,
  emails: [{ value: secret.email, type: 'work', primary: true }],
  phoneNumbers: [{ value: secret.phone, type: 'mobile' }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: secret.department },
});
if (provisioned.body!.id !== created.id) throw new Error(`SCIM did not adopt the HR-synced person: ${JSON.stringify(provisioned.body)}`);
const personId = created.id as string;

// The person acts as a mentee with their HRIS id as their token's subject.
const member = client(app, auth({ org, roles: ['member'], sub: secret.externalId }));
const active = await admin.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: personId, aspiration: secret.aspiration });
const kept = await admin.must('POST', '/v1/relationships', { programmeId: keeping.id, mentorId: mentor.id, menteeId: personId, aspiration: 'kept pair' });
const ended = await admin.must('POST', '/v1/relationships', { programmeId: keeping.id, mentorId: (await admin.must('POST', '/v1/people', personInput())).id, menteeId: personId });
await member.must('POST', `/v1/relationships/${active.id}/acceptances`, { party: 'mentee', note: secret.acceptNote });
await member.must('POST', `/v1/relationships/${active.id}/reflections`, { kind: 'progress', party: 'mentee', text: secret.reflection }, { 'idempotency-key': `reflect-${tag}` });
await member.must('POST', `/v1/relationships/${active.id}/sessions`, { kind: 'discovery', heldAt: new Date(Date.now() - 3_600_000).toISOString(), minutes: 20, notes: secret.notes });
await member.must('POST', `/v1/relationships/${ended.id}/transitions`, { to: 'withdrawn', reason: secret.reason });
const goal = await admin.must('POST', `/v1/relationships/${active.id}/goals`, smartGoalInput());
await member.must('POST', `/v1/relationships/${active.id}/goals/${goal.id}/tasks/${goal.tasks[0].id}/complete`, { note: secret.taskNote });
await member.must('POST', `/v1/relationships/${active.id}/goals/${goal.id}/metrics/${goal.metrics[0].id}/readings`, { value: 1, note: secret.readingNote });
// They mark a goal of the kept pair achieved with a reason of their own, as the mentee; the mentor confirms.
const achieved = await admin.must('POST', `/v1/relationships/${kept.id}/goals`, smartGoalInput({ title: 'A goal they achieved', relevance: 'It is what the kept pair is for.' }));
await admin.must('POST', `/v1/relationships/${kept.id}/goals/${achieved.id}/agree`, {});
await member.must('POST', `/v1/relationships/${kept.id}/goals/${achieved.id}/achieve`, { achievedDespite: secret.achievedDespite });
await admin.must('POST', `/v1/relationships/${kept.id}/goals/${achieved.id}/achieve`, { parties: ['mentor'] });
const reportBefore = await admin.must('GET', `/v1/programmes/${programme.id}/report`);
const historyBefore = await admin.must('GET', `/v1/relationships/${active.id}/transitions`);

t.test('export: everything held about the person, to the person or an organisation role', async (t) => {
  const exported = await admin.must('GET', `/v1/people/${personId}/export`);
  t.equal(exported.format, 'tandem.person-export.v1');
  t.match(exported.person, { id: personId, name: secret.name, email: secret.email, externalId: secret.externalId, userName: secret.userName, department: secret.department });
  t.same(exported.relationships.map((r: { id: string }) => r.id).sort(), [active.id, kept.id, ended.id].sort());
  t.match(exported.relationships.find((r: { id: string }) => r.id === active.id), { role: 'mentee', programmeName: 'Personal data', aspiration: secret.aspiration });
  t.same(leaks(exported).sort(), [...secrets].sort(), 'every piece of their data is in the export');
  t.ok(exported.relationships.every((r: { history: unknown[] }) => r.history.length >= 1), 'each relationship with its history');

  const own = await member.call('GET', `/v1/people/${personId}/export`);
  t.equal(own.status, 200, 'a member exports themselves');
  const someoneElse = await member.call('GET', `/v1/people/${mentor.id}/export`);
  t.equal(someoneElse.status, 404, 'and nobody else');
  const noScope = client(app, { authorization: `Bearer ${(await import('../scim/scim-client.ts')).scimToken(config, { org, scope: 'people:read' })}` });
  t.equal((await noScope.call('GET', `/v1/people/${personId}/export`)).status, 403, 'integrations need the personal-data scope');
  const stranger = client(app, auth({ org: uniqueOrg('stranger') }));
  t.equal((await stranger.call('GET', `/v1/people/${personId}/export`)).status, 404);
  t.equal((await stranger.call('POST', `/v1/people/${personId}/erase`)).status, 404);
  t.equal((await admin.call('GET', '/v1/people/01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10/export')).status, 404);

  const [held] = await rows(sql`select row_to_json(p)::text as row from people p where id = ${personId}`);
  t.ok(leaks(held!.row).length >= 5, 'the database search below finds what a row holds');

  const audit = await admin.must('GET', '/v1/audit-events?limit=100');
  t.ok(audit.items.some((a: { action: string; subjectId: string }) => a.action === 'exportPersonalData' && a.subjectId === personId), 'the export is audited');
});

t.test('erase: tombstones, kept ids, history and aggregates; nothing re-identifies them', async (t) => {
  t.equal((await member.call('POST', `/v1/people/${personId}/erase`)).status, 403, 'members may not erase');
  const erased = await admin.must('POST', `/v1/people/${personId}/erase`);
  t.match(erased, { personId, withdrawn: [active.id], kept: [kept.id] });
  t.equal((await admin.must('POST', `/v1/people/${personId}/erase`)).personId, personId, 'erasing again is harmless');
  offset = 5_000; // past the event log's settling window

  const person = await admin.must('GET', `/v1/people/${personId}`);
  t.match(person, { id: personId, name: 'Erased person', email: null, externalId: null, userName: null, active: false, erasedAt: String });
  t.equal((await admin.must('GET', `/v1/relationships/${active.id}`)).status, 'withdrawn', 'their active relationship left with them');
  const historyAfter = await admin.must('GET', `/v1/relationships/${active.id}/transitions`);
  t.equal(historyAfter.items.length, historyBefore.items.length + 1, 'history kept (and the withdrawal added)');
  const reportAfter = await admin.must('GET', `/v1/programmes/${programme.id}/report`);
  t.equal(reportAfter.relationships.total, reportBefore.relationships.total, 'the report counts the same relationships');
  t.same(reportAfter.goals, reportBefore.goals, 'and the same goals');

  // Every REST read of the organisation.
  const reads: string[] = ['/v1/people?limit=100', `/v1/people/${personId}`, `/v1/people/${personId}/export`, '/v1/relationships?limit=100', '/v1/audit-events?limit=100', '/v1/events?limit=100', `/v1/programmes/${programme.id}/report`];
  for (const relationship of [active, kept, ended]) {
    for (const part of ['', '/transitions', '/goals', '/sessions', '/reflections', '/next-stages']) reads.push(`/v1/relationships/${relationship.id}${part}`);
  }
  for (const url of reads) {
    const response = await admin.call('GET', url);
    t.equal(response.status, 200, url);
    t.same(leaks(response.body), [], `GET ${url} carries none of their data`);
  }
  const events = await admin.must('GET', '/v1/events?limit=100');
  t.ok(events.items.some((e: { type: string }) => e.type === 'person.erased'), 'person.erased announced');
  t.ok(events.items.some((e: { type: string }) => e.type === 'person.exported'), 'person.exported announced');

  // GraphQL.
  const graph = gql(app, auth({ org }));
  const query = `query ($id: ID!) { person(id: $id) { id name email externalId skills experienceSummary }
    relationships(first: 50) { nodes { id aspiration mentee { name email externalId } mentor { name }
      reflections { text whatWorked } sessions { notes } history { actor reason } goals { title } } } }`;
  const answer = await graph.call(query, { id: personId });
  t.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  t.same(leaks(answer.body), [], 'GraphQL carries none of their data');

  // SCIM: unlinked, and not found by their old identifiers.
  t.equal((await scim('GET', `/Users/${personId}`)).status, 404);
  for (const filter of [`userName eq "${secret.userName}"`, `externalId eq "${secret.externalId}"`, `emails.value eq "${secret.email}"`]) {
    t.equal((await scim('GET', `/Users?filter=${encodeURIComponent(filter)}`)).body!.totalResults, 0, filter);
  }
  // Their HRIS id no longer acts.
  t.equal((await member.call('GET', `/v1/relationships/${kept.id}`)).status, 404);

  // Every row of every table the organisation has, the outbox (webhook and poll payloads) included.
  const tables = (await rows(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id'`)).map((r) => String(r.table_name));
  t.ok(tables.includes('outbox_events') && tables.includes('idempotency_keys') && tables.includes('audit_events'), `searched ${tables.length} tables`);
  for (const table of tables) {
    const found = await rows(sql`select row_to_json(x)::text as row from ${sql.identifier(table)} x where org_id = ${org}`);
    t.same(leaks(found.map((r) => r.row).join('\n')), [], `table ${table} (${found.length} rows) holds none of their data`);
  }
});
