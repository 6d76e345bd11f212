import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { outboxEvents } from '../../src/db/schema.ts';
import { idCursor, seqCursor } from '../../src/domain/pagination.ts';
import type { Faults } from '../../src/rest/faults.ts';
import { testConfig, uniqueOrg } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/database.ts';
import { client, seedWorld, smartGoalInput } from '../helpers/fixtures.ts';
import { manualClock } from '../webhooks/helpers/clock.ts';

// seq is taken at insert, not at commit: a transaction may commit after one that took a later seq.
// A poller must still see it, and must not wait for it either: GET /v1/events reads what has become
// visible since the poller's cursor (src/webhooks/visibility.ts, as the webhook fan-out does).
const time = manualClock();
let slow: { reached: () => void; release: Promise<void> } | null = null;
const hooks: Faults = {
  // Holds the keyed request named "slow" after its work, before its commit: its event has its seq.
  beforeCommit: async (request) => {
    if (request.headers['idempotency-key'] !== 'slow' || !slow) return;
    slow.reached();
    await slow.release;
  },
};
const { database, drop } = await freshDatabase();
const config = testConfig();
const app = await buildApp({ config, database, faults: hooks, clock: time.clock });
t.teardown(async () => {
  await app.close();
  await drop();
});
const figures = { lateCommits: 0, seenByPoller: 0, skipped: 0 };
t.teardown(() => t.comment(`late commits: ${figures.lateCommits}, seen by the poller: ${figures.seenByPoller}, skipped: ${figures.skipped}`));

const headersOf = (org: string) => ({ authorization: `Bearer ${signDevelopmentToken(config, { org, roles: ['admin'], sub: 'admin' })}` });
type EventPage = { items: { id: string; subjectId: string; type: string }[]; nextCursor: string | null; pollCursor: string | null };
const poll = async (org: string, cursor: string | null): Promise<EventPage> => client(app, headersOf(org)).must('GET', `/v1/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
const seqOf = async (eventId: string) => Number((await database.rows<{ seq: string | number }>(sql`select seq from outbox_events where id = ${eventId}`))[0]!.seq);
const goalEventOf = async (goalId: string) => (await database.rows<{ id: string }>(sql`select id from outbox_events where subject_id = ${goalId}`))[0]!.id;

t.test('a write that takes its seq first and commits last is still seen by a poller', async (t) => {
  const org = uniqueOrg('late-commit');
  const api = client(app, headersOf(org));
  // Two relationships, so the two writes lock nothing in common.
  const [first, second] = [await seedWorld(api), await seedWorld(api)];
  const { pollCursor } = await poll(org, null);

  let reached!: () => void;
  const paused = new Promise<void>((resolve) => (reached = resolve));
  let release!: () => void;
  slow = { reached, release: new Promise<void>((resolve) => (release = resolve)) };
  const slowWrite = api.call('POST', `/v1/relationships/${first.relationship.id}/goals`, smartGoalInput({ title: 'Committed last' }), { 'idempotency-key': 'slow' });
  await paused; // its event is inserted (its seq taken), its transaction still open

  if (database.kind === 'postgres') {
    const fast = await api.must('POST', `/v1/relationships/${second.relationship.id}/goals`, smartGoalInput({ title: 'Committed first' }));
    const meanwhile = await poll(org, pollCursor);
    t.same(meanwhile.items.map((e) => e.subjectId), [fast.id], 'the later, committed event is read at once, past the write still in flight');
    release();
    const late = await slowWrite;
    t.equal(late.status, 201, 'the slow write commits');
    figures.lateCommits++;
    const [lateEvent, fastEvent] = [await goalEventOf(late.body.id), await goalEventOf(fast.id)];
    t.ok((await seqOf(lateEvent)) < (await seqOf(fastEvent)), 'it took the earlier seq and committed after the later one');
    const after = await poll(org, meanwhile.pollCursor);
    t.same(after.items.map((e) => e.id), [lateEvent], 'the poller resuming from that page sees the late commit, behind its seq yet not skipped, and nothing twice');
    t.same((await poll(org, pollCursor)).items.map((e) => e.id), [lateEvent, fastEvent], 'a poller that read neither sees both, in seq order');
    figures.seenByPoller += after.items.filter((e) => e.id === lateEvent).length;
    figures.skipped += after.items.some((e) => e.id === lateEvent) ? 0 : 1;
  } else {
    // PGlite has one connection and runs transactions one after another: the second write (and
    // any poll) waits until the first commits, so an event can never commit after a later seq.
    const fastWrite = api.must('POST', `/v1/relationships/${second.relationship.id}/goals`, smartGoalInput({ title: 'Queued behind it' }));
    release();
    const [late, fast] = await Promise.all([slowWrite, fastWrite]);
    t.equal(late.status, 201);
    const [lateEvent, fastEvent] = [await goalEventOf(late.body.id), await goalEventOf(fast.id)];
    t.ok((await seqOf(lateEvent)) < (await seqOf(fastEvent)), 'the write started second took the later seq and committed second');
    const after = await poll(org, pollCursor);
    t.same(after.items.map((e) => e.id), [lateEvent, fastEvent], 'the poller sees both, in seq order');
  }
  slow = null;
});

// What a late commit looks like to a reader, made by hand on either database: a seq taken (as a
// transaction that has not committed yet holds it), a later event committed, then the taken seq
// filled, or never filled (the transaction rolled back).
t.test('a taken seq holds no one back, and fills in later without being skipped', async (t) => {
  const org = uniqueOrg('gap-rule');
  const reserveSeq = async () => Number((await database.rows<{ seq: string | number }>(sql`select nextval('outbox_events_seq_seq') as seq`))[0]!.seq);
  const insertEvent = async (seq: number) => {
    const [row] = await database.db
      .insert(outboxEvents)
      .values({ seq, orgId: org, type: 'session.logged', subjectId: '00000000-0000-7000-8000-000000000001', payload: { organisationId: org }, createdAt: time.clock() })
      .returning({ id: outboxEvents.id });
    return row!.id;
  };
  const start = await poll(org, null);
  const [s1, s2, s3, s4] = [await reserveSeq(), await reserveSeq(), await reserveSeq(), await reserveSeq()];
  const later = await insertEvent(s2!);
  const first = await poll(org, start.pollCursor);
  t.same(first.items.map((e) => e.id), [later], 'an event after a taken seq is read at once');
  const earlier = await insertEvent(s1!);
  figures.lateCommits++;
  const second = await poll(org, first.pollCursor);
  t.same(second.items.map((e) => e.id), [earlier], 'the late one, behind it in seq, comes next');
  figures.seenByPoller++;
  t.same((await poll(org, start.pollCursor)).items.map((e) => e.id), [earlier, later], 'from the first cursor: both, in seq order');

  const afterHole = await insertEvent(s4!); // s3 was taken by a transaction that rolled back
  t.same((await poll(org, second.pollCursor)).items.map((e) => e.id), [afterHole], 'a hole holds nothing back: no grace, no clock');
  t.ok(s3! < s4!);
  const both = { pollCursor: seqCursor.encode(s2!) };

  t.same((await poll(org, both.pollCursor)).items.map((e) => e.id), [afterHole], 'a cursor issued when the log paged by seq resumes after the seq it names');
  const legacy = idCursor.encode(earlier);
  t.same((await poll(org, legacy)).items.map((e) => e.id), [later, afterHole], 'a cursor issued when the log paged by id resumes after the event it names');
  t.match(await client(app, headersOf(org)).call('GET', `/v1/events?cursor=${Buffer.from('s1:nope').toString('base64url')}`), { status: 400 }, 'a cursor this API did not issue is a 400 problem');
});
