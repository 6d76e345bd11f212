import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { openDatabase } from '../../src/db/client.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { databaseUrl } from './helpers/processes.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, testDispatcher, webhookApi } from './helpers/world.ts';

// Real concurrency needs real connections: on PGlite transactions run one after another.
if (!process.env.TEST_DATABASE_URL) {
  t.comment('skipped: two dispatchers racing need TEST_DATABASE_URL (PostgreSQL)');
  t.pass('skipped without TEST_DATABASE_URL');
} else {
  const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });

  // The safety checks hold in every round. That both dispatchers took part is what makes a round
  // a race; on a busy machine one may happen to claim everything, so a round is run again (up to
  // three times) until both have sent.
  async function race(t: Test): Promise<number[]> {
    const org = uniqueOrg('wh-race');
    const headers = auth({ org, roles: ['admin'] });
    const hooks = webhookApi(app, headers);
    const slow = () => ({ status: 200, hold: new Promise<void>((resolve) => setTimeout(resolve, 5 + Math.random() * 25)) });
    const receivers = [await startReceiver({ behaviour: slow }), await startReceiver({ behaviour: slow })];
    t.teardown(() => Promise.all(receivers.map((r) => r.close())));
    for (const receiver of receivers) receiver.secrets = [(await hooks.must('POST', '/v1/webhook-endpoints', { url: receiver.url })).secret];

    // A second instance: its own connection pool to the same database. Both are warmed up
    // (connections open, cursor made) before the events exist, so they start racing together.
    const other = await openDatabase({ kind: 'postgres', url: await databaseUrl(database), maxConnections: 10 });
    t.teardown(() => other.close());
    const sentBy = [0, 0];
    const dispatchers = [testDispatcher(database, { batchSize: 4 }), testDispatcher(other, { batchSize: 4 })];
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.runOnce()));
    await openRelationships(app, headers, 40);
    await Promise.all(
      dispatchers.map(async (dispatcher, i) => {
        for (;;) {
          const result = await dispatcher.runOnce();
          sentBy[i]! += result.sent;
          if (result.fannedOut === 0 && result.sent === 0) {
            const [left] = await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org} and status <> 'succeeded'`);
            const [total] = await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org}`);
            if (left!.n === 0 && total!.n === 80) return;
          }
        }
      }),
    );

    t.equal(sentBy[0]! + sentBy[1]!, 80, 'eighty deliveries, each claimed once');
    for (const receiver of receivers) {
      t.equal(receiver.received.length, 40, 'each endpoint got each event exactly once');
      t.equal(receiver.uniqueVerified().length, 40);
      t.equal(receiver.maxConcurrentPerId(), 1, 'never two sends of one delivery at once');
    }
    const [attempts] = await database.rows<{ n: number; max: number }>(sql`select count(*)::int as n, max(attempt_number)::int as max from webhook_attempts where org_id = ${org}`);
    t.match(attempts, { n: 80, max: 1 }, 'one attempt each in the log');
    return sentBy;
  }

  t.test('two dispatchers on one PostgreSQL never attempt a delivery twice, nor at the same time', async (t) => {
    let sentBy: number[] = [];
    for (let round = 1; round <= 3; round++) {
      await t.test(`round ${round}`, async (t) => {
        sentBy = await race(t);
      });
      t.comment(`round ${round}: ${sentBy.join(' + ')}`);
      if (sentBy[0]! > 0 && sentBy[1]! > 0) break;
    }
    t.ok(sentBy[0]! > 0 && sentBy[1]! > 0, `both dispatchers delivered in one round (${sentBy.join(' + ')})`);
  });
}
