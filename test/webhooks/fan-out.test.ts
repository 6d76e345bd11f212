import { sql } from 'drizzle-orm';
import t from 'tap';
import { outboxEvents } from '../../src/db/schema.ts';
import { createFanOut, type FanOut } from '../../src/webhooks/fan-out.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock } from './helpers/clock.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock });
await dispatcher.drain(); // creates the cursor

/** A one-off fan-out with no memory of earlier reads, as a restarted dispatcher's: it reads from the persisted cursor. */
const fanOut: FanOut = (db, now) => createFanOut()(db, now);
const deliveriesOf = async (eventId: string) =>
  (await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where event_id = ${eventId} and trigger = 'scheduled'`))[0]!.n;
const reserveSeq = async () => Number((await database.rows<{ seq: string | number }>(sql`select nextval('outbox_events_seq_seq') as seq`))[0]!.seq);
const insertEvent = async (org: string, seq: number) => {
  const [row] = await database.db
    .insert(outboxEvents)
    .values({ seq, orgId: org, type: 'session.logged', subjectId: '00000000-0000-7000-8000-000000000001', payload: { organisationId: org }, createdAt: time.clock() })
    .returning({ id: outboxEvents.id });
  return row!.id;
};

t.test('an event that commits after a later one is still delivered; a seq never filled holds nothing back', async (t) => {
  const org = uniqueOrg('wh-gap');
  await webhookApi(app, auth({ org, roles: ['admin'] })).must('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/never-called' });
  await dispatcher.drain();
  const [s1, s2, s3, s4] = [await reserveSeq(), await reserveSeq(), await reserveSeq(), await reserveSeq()];

  const later = await insertEvent(org, s2!); // committed first
  await fanOut(database.db, time.clock());
  t.equal(await deliveriesOf(later), 1, 'the committed event is fanned out at once');

  const earlier = await insertEvent(org, s1!); // the slower transaction commits
  await fanOut(database.db, time.clock());
  t.equal(await deliveriesOf(earlier), 1, 'the late committer is not skipped, by a fan-out with no memory of its own');
  t.equal(await deliveriesOf(later), 1, 'and no second delivery of the one before');

  const afterHole = await insertEvent(org, s4!); // s3 was taken by a transaction that rolled back
  await fanOut(database.db, time.clock());
  t.equal(await deliveriesOf(afterHole), 1, 'the event after a hole is fanned out at once: no grace, no clock');
  t.ok(s3 && s3 < s4!);
});

t.test('an endpoint gets the events from its creation on, once each, however often the fan-out runs', async (t) => {
  const org = uniqueOrg('wh-from-now');
  const headers = auth({ org, roles: ['admin'] });
  await openRelationships(app, headers, 1);
  await dispatcher.drain();
  time.advance(1000);
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 1);
  await Promise.all([dispatcher.drain(), testDispatcher(database, { clock: time.clock }).drain()]);
  await dispatcher.drain();
  t.equal(receiver.received.length, 1, 'only the event after its creation, once');
});

t.test('finished deliveries and their attempts are pruned after 30 days', async (t) => {
  const org = uniqueOrg('wh-prune');
  const headers = auth({ org, roles: ['admin'] });
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  await openRelationships(app, headers, 2);
  await dispatcher.drain();
  const count = async (table: string) => (await database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)} where org_id = ${org}`))[0]!.n;
  t.equal(await count('webhook_deliveries'), 2);
  time.advance(31 * 24 * 3600_000);
  const fresh = testDispatcher(database, { clock: time.clock }); // prunes on its first round
  await fresh.drain();
  t.equal(await count('webhook_deliveries'), 0, 'deliveries pruned');
  t.equal(await count('webhook_attempts'), 0, 'attempts with them');
  t.equal(await count('outbox_events'), 2, 'the outbox is the domain’s and is kept');
});
