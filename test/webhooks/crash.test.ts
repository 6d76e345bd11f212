import { sql } from 'drizzle-orm';
import t from 'tap';
import { LEASE_LOST_ERROR } from '../../src/webhooks/claim.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { databaseUrl, eventually, exited, runScript } from './helpers/processes.ts';
import { startReceiver } from './helpers/receiver.ts';
import { openRelationships, webhookApi } from './helpers/world.ts';

// Two processes must share the database, which embedded PGlite cannot do: PostgreSQL only.
if (!process.env.TEST_DATABASE_URL) {
  t.comment('skipped: the crash test runs dispatchers in child processes and needs TEST_DATABASE_URL (PostgreSQL)');
  t.pass('skipped without TEST_DATABASE_URL');
} else {
  const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });

  t.test('a dispatcher killed mid-send loses nothing: after its lease, a restarted worker sends it again', async (t) => {
    const org = uniqueOrg('wh-crash');
    const headers = auth({ org, roles: ['admin'] });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let heldId: string | null = null;
    const receiver = await startReceiver({
      behaviour: (received) => {
        if (heldId === null) heldId = received.id;
        return received.id === heldId && receiver.received.filter((r) => r.id === heldId).length === 1 ? { status: 200, hold: held } : { status: 200 };
      },
    });
    t.teardown(async () => {
      release();
      await receiver.close();
    });
    const endpoint = await webhookApi(app, headers).must('POST', '/v1/webhook-endpoints', { url: receiver.url });
    receiver.secrets = [endpoint.secret];
    await openRelationships(app, headers, 3);
    const url = await databaseUrl(database);

    const first = await runScript('test/webhooks/fixtures/dispatcher-process.ts', { DATABASE_URL: url, LEASE_MS: '3000' }, /ready/);
    const succeeded = async () => (await database.rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where org_id = ${org} and status = 'succeeded'`))[0]!.n;
    await eventually(async () => receiver.received.length === 3 && (await succeeded()) === 2);
    first.kill('SIGKILL');
    t.equal((await exited(first)).signal, 'SIGKILL', 'killed while the receiver held one request open');
    const [stuck] = await database.rows<{ status: string; attempts: number }>(sql`select status, attempts from webhook_deliveries where org_id = ${org} and status <> 'succeeded'`);
    t.match(stuck, { status: 'sending', attempts: 1 }, 'the delivery it was sending is still claimed');

    const worker = await runScript('scripts/worker.ts', { DATABASE_URL: url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true', LOG_LEVEL: 'info', NODE_ENV: 'test' }, /webhook dispatcher and scheduler running/);
    await receiver.waitFor((received) => received.filter((r) => r.id === heldId).length === 2, 30_000);
    await eventually(async () => (await succeeded()) === 3);
    worker.kill('SIGTERM');
    t.equal((await exited(worker)).code, 0, `the worker shuts down gracefully\n${worker.output()}`);

    const events = await database.rows<{ id: string }>(sql`select id from outbox_events where org_id = ${org}`);
    t.same(receiver.uniqueVerified().map((r) => r.id).sort(), events.map((e) => e.id).sort(), 'every event arrived, verified');
    const attempts = await database.rows<{ attempt_number: number; status: string; error: string | null }>(
      sql`select a.attempt_number, a.status, a.error from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id where a.org_id = ${org} and a.event_id = ${heldId} order by a.attempt_number`,
    );
    t.match(attempts, [
      { attempt_number: 1, status: 'failed', error: LEASE_LOST_ERROR },
      { attempt_number: 2, status: 'succeeded', error: null },
    ], 'the log shows the lost attempt and the one that landed');
  });
}
