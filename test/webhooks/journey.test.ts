import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { manualClock } from './helpers/clock.ts';
import { startReceiver, type Received } from './helpers/receiver.ts';
import { relationshipJourney, testDispatcher, webhookApi } from './helpers/world.ts';

const time = manualClock();
const { app, database, auth } = await buildTestApp(t, { clock: time.clock, config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
const dispatcher = testDispatcher(database, { clock: time.clock });

const relationshipEvents = (received: Received[], relationshipId: string) =>
  received.filter((r) => r.message?.data.relationshipId === relationshipId && ['relationship.opened', 'relationship.stage_changed'].includes(r.message.type));

t.test('an endpoint receives every event of a journey, signed and verified by the reference library', async (t) => {
  const org = uniqueOrg('wh-journey');
  const headers = auth({ org, roles: ['integration'], sub: 'lms-sync' });
  const hooks = webhookApi(app, headers);
  const all = await startReceiver({ now: time.clock });
  const stagesOnly = await startReceiver({ now: time.clock });
  t.teardown(() => Promise.all([all.close(), stagesOnly.close()]));

  const created = await hooks.call('POST', '/v1/webhook-endpoints', { url: all.url, description: 'Everything' });
  t.equal(created.status, 201);
  t.equal(created.headers.location, `/v1/webhook-endpoints/${created.body.id}`);
  t.match(created.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'a whsec_ secret of 32 random bytes');
  all.secrets = [created.body.secret];
  const filtered = await hooks.must('POST', '/v1/webhook-endpoints', { url: stagesOnly.url, eventTypes: ['relationship.stage_changed'] });
  stagesOnly.secrets = [filtered.secret];
  t.notOk('secret' in (await hooks.must('GET', `/v1/webhook-endpoints/${created.body.id}`)), 'the secret is never read back');

  const relationshipId = await relationshipJourney(app, headers, async () => {
    time.advance(1000);
    await dispatcher.drain();
  });

  const outbox = await database.rows<{ id: string; type: string }>(sql`select id, type from outbox_events where org_id = ${org} order by seq`);
  t.ok(outbox.length >= 12, `the journey wrote ${outbox.length} events`);
  t.same(all.received.filter((r) => !r.message), [], 'every delivery verifies with standardwebhooks');
  t.same(all.uniqueVerified().map((r) => r.id).sort(), outbox.map((e) => e.id).sort(), 'after de-duplication, every event arrived');
  t.same(
    stagesOnly.uniqueVerified().map((r) => r.id).sort(),
    outbox.filter((e) => e.type === 'relationship.stage_changed').map((e) => e.id).sort(),
    'a filtered endpoint gets only its types',
  );

  const versions = relationshipEvents(all.uniqueVerified(), relationshipId).map((r) => r.message!.data.version as number);
  const history = await database.rows<{ version: number }>(sql`select version from stage_history where relationship_id = ${relationshipId} order by version`);
  t.same(versions, history.map((h) => h.version), 'one event per version, every version, strictly increasing');
  for (let i = 1; i < versions.length; i++) t.ok(versions[i]! > versions[i - 1]!, `version ${versions[i]} follows ${versions[i - 1]}`);

  // A resend repeats the webhook-id; a consumer that de-duplicates and drops older versions is unmoved.
  const opened = outbox.find((e) => e.type === 'relationship.opened')!;
  const resent = await hooks.call('POST', `/v1/events/${opened.id}/resend`, { endpointId: created.body.id });
  t.equal(resent.status, 202);
  t.equal(resent.body.deliveryIds.length, 1);
  await dispatcher.drain();
  t.equal(all.received.filter((r) => r.id === opened.id).length, 2, 'the resend arrived with the same webhook-id');
  let held = 0;
  for (const r of relationshipEvents(all.received, relationshipId)) held = Math.max(held, r.message!.data.version as number);
  t.equal(held, versions.at(-1), 'keeping the newest version ends at the final state');
  t.equal(all.uniqueVerified().length, outbox.length, 'de-duplication by webhook-id drops the repeat');

  const catalogue = await hooks.must('GET', '/v1/event-types');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (ajv: Ajv2020) => void)(ajv);
  for (const received of all.uniqueVerified()) {
    const entry = catalogue.items.find((item: { type: string }) => item.type === received.message!.type);
    t.ok(entry, `${received.message!.type} is in the catalogue`);
    const validate = ajv.compile(entry.schema);
    t.ok(validate(received.message), `${received.message!.type} matches its JSON Schema ${JSON.stringify(validate.errors)}`);
    t.ok(Buffer.byteLength(received.body) < 20_000, 'the payload is small');
  }

  const attempts = await hooks.must('GET', `/v1/webhook-endpoints/${created.body.id}/attempts?limit=100`);
  t.equal(attempts.items.length, outbox.length + 1, 'one attempt per delivery, and the resend');
  t.ok(attempts.items.every((a: { status: string; responseStatus: number }) => a.status === 'succeeded' && a.responseStatus === 204));
  t.same(attempts.items.filter((a: { trigger: string }) => a.trigger === 'manual').map((a: { eventId: string }) => a.eventId), [opened.id]);
  const perEvent = await hooks.must('GET', `/v1/events/${opened.id}/attempts`);
  t.equal(perEvent.items.length, 2, 'the event has its scheduled attempt and its resend');
});

t.test('the test event reaches one endpoint, verified, and stays out of the polled log', async (t) => {
  const org = uniqueOrg('wh-test');
  const hooks = webhookApi(app, auth({ org, roles: ['admin'] }));
  const receiver = await startReceiver({ now: time.clock });
  t.teardown(receiver.close);
  const endpoint = await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url });
  receiver.secrets = [endpoint.secret];
  const other = await startReceiver({ now: time.clock });
  t.teardown(other.close);
  await hooks.must('POST', '/v1/webhook-endpoints', { url: other.url });

  const accepted = await hooks.call('POST', `/v1/webhook-endpoints/${endpoint.id}/test`);
  t.equal(accepted.status, 202);
  await dispatcher.drain();
  t.equal(receiver.received.length, 1);
  t.equal(receiver.received[0]!.message?.type, 'webhook.test');
  t.equal(receiver.received[0]!.id, accepted.body.eventId);
  t.equal(other.received.length, 0, 'no other endpoint gets it');
  time.advance(5000);
  const polled = await hooks.must('GET', '/v1/events');
  t.same(polled.items, [], 'pollers never see test events');
  const attempts = await hooks.must('GET', `/v1/events/${accepted.body.eventId}/attempts`);
  t.match(attempts.items, [{ status: 'succeeded', trigger: 'manual', eventType: 'webhook.test' }]);
});

t.test('pollers page through the last 30 days and resume from pollCursor', async (t) => {
  const org = uniqueOrg('wh-poll');
  const headers = auth({ org, roles: ['admin'] });
  const hooks = webhookApi(app, headers);
  await relationshipJourney(app, headers);
  const outbox = await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org} order by seq`);

  const fresh = await hooks.must('GET', '/v1/events?limit=100');
  t.same(fresh.items.map((e: { id: string }) => e.id), outbox.map((e) => e.id), 'committed events show at once: nothing is in flight before them');

  const seen: string[] = [];
  let cursor: string | null = null;
  let pollCursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null; pollCursor: string | null } = await hooks.must('GET', `/v1/events?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.items.map((e) => e.id));
    cursor = page.nextCursor;
    pollCursor = page.pollCursor;
  } while (cursor);
  t.same(seen, outbox.map((e) => e.id), 'every event once, oldest first');

  const idle = await hooks.must('GET', `/v1/events?cursor=${pollCursor}`);
  t.same(idle, { items: [], nextCursor: null, pollCursor }, 'nothing new: the poll cursor stays');
  const api = webhookApi(app, headers);
  const typed = await api.must('GET', '/v1/events?type=relationship.stage_changed&limit=100');
  t.ok(typed.items.length > 0 && typed.items.every((e: { type: string }) => e.type === 'relationship.stage_changed'), 'filter by type');

  time.advance(31 * 24 * 3600_000);
  t.same((await hooks.must('GET', '/v1/events')).items, [], 'older than 30 days: gone from the log');
});
