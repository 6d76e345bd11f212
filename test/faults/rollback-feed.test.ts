import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { buildApp } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { testConfig, uniqueOrg } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/database.ts';
import { client, personInput } from '../helpers/fixtures.ts';
import { startReceiver } from '../webhooks/helpers/receiver.ts';
import { webhookApi } from '../webhooks/helpers/world.ts';

// Issue 28: one transaction that took an event number (seq) and rolled back used to hold every
// poller and the webhook fan-out back for a 60 s grace. Now a reader takes what its snapshot sees
// (src/webhooks/visibility.ts). A transaction beside the server takes a seq and rolls back (or
// stays open, then rolls back); events written after it must reach GET /v1/events and a webhook
// receiver on 127.0.0.1 within a second, on both databases.
const CEILING_MS = 1000;
const { database, drop, url } = await freshDatabase();
const config = testConfig({ webhooks: { dispatch: true, allowPrivateUrls: true } });
const app = await buildApp({ config, database });
// A connection of its own, as another instance or a stray session would hold (PostgreSQL only).
const beside = url ? postgres(url, { max: 1, onnotice: () => {} }) : null;
t.teardown(async () => {
  await beside?.end();
  await app.close();
  await drop();
});

const figures: string[] = [];
t.teardown(() => t.comment(`${database.kind}: ${figures.join('; ')} (before, on the gap rule: 60 s after any rollback)`));

const headersOf = (org: string) => ({ authorization: `Bearer ${signDevelopmentToken(config, { org, roles: ['admin'], sub: 'admin' })}` });

async function world(t: Test, label: string) {
  const org = uniqueOrg(label);
  const api = client(app, headersOf(org));
  const receiver = await startReceiver();
  t.teardown(receiver.close);
  const endpoint = await webhookApi(app, headersOf(org)).must('POST', '/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['relationship.opened'] });
  receiver.secrets = [endpoint.secret];
  const programme = await api.must('POST', '/v1/programmes', { name: 'Feed programme' });
  const mentor = await api.must('POST', '/v1/people', personInput({ capacity: 100 }));
  let cursor: string | null = (await api.must('GET', '/v1/events?limit=100')).pollCursor;
  const seen = new Set<string>();

  /** Opens a relationship; resolves with the time its event took to reach a poller and the receiver. */
  const writeAndTime = async () => {
    const mentee = await api.must('POST', '/v1/people', personInput());
    const opened = await api.must('POST', '/v1/relationships', { programmeId: programme.id, mentorId: mentor.id, menteeId: mentee.id, aspiration: 'I want a promotion' });
    const committed = performance.now();
    const polled = (async () => {
      for (;;) {
        const page = await api.must('GET', `/v1/events?limit=100&cursor=${cursor}`);
        cursor = page.pollCursor;
        for (const event of page.items as { id: string; subjectId: string }[]) {
          if (seen.has(event.id)) throw new Error(`event ${event.id} read twice`);
          seen.add(event.id);
        }
        if ((page.items as { subjectId: string }[]).some((event) => event.subjectId === opened.id)) return performance.now() - committed;
        if (performance.now() - committed > 10_000) return Infinity;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const delivered = receiver
      .waitFor((received) => received.some((r) => r.message?.data.relationshipId === opened.id), 10_000)
      .then(() => performance.now() - committed)
      .catch(() => Infinity);
    const [pollMs, webhookMs] = await Promise.all([polled, delivered]);
    return { pollMs, webhookMs };
  };
  return { org, writeAndTime };
}

const fmt = ({ pollMs, webhookMs }: { pollMs: number; webhookMs: number }) => `poll ${pollMs.toFixed(0)} ms, webhook ${webhookMs.toFixed(0)} ms`;

/** Takes a seq in a transaction of its own and rolls it back. */
async function takeSeqAndRollBack(org: string): Promise<void> {
  const insert = `insert into outbox_events (org_id, type, subject_id, payload) values ($1, 'relationship.opened', gen_random_uuid(), '{}'::jsonb)`;
  if (beside) {
    await beside
      .begin(async (tx) => {
        await tx.unsafe(insert, [org]);
        throw new Error('roll back');
      })
      .catch(() => {});
    return;
  }
  // PGlite has one connection: the transaction beside the server is one more on it.
  await database.db
    .transaction(async (tx) => {
      await tx.execute(sql`insert into outbox_events (org_id, type, subject_id, payload) values (${org}, 'relationship.opened', gen_random_uuid(), '{}'::jsonb)`);
      throw new Error('roll back');
    })
    .catch(() => {});
}

t.test('after a transaction that took a seq rolls back, later events reach pollers and webhooks within a second', async (t) => {
  const { org, writeAndTime } = await world(t, 'rollback-feed');
  await writeAndTime(); // warm: the first request of each kind
  const before = await writeAndTime();
  await takeSeqAndRollBack(org);
  const after = await writeAndTime();
  const afterMore = await writeAndTime();
  figures.push(`no rollback: ${fmt(before)}`, `after a rollback: ${fmt(after)}, then ${fmt(afterMore)}`);
  for (const [label, timing] of [['the event after the rollback', after], ['the one after it', afterMore]] as const) {
    t.ok(timing.pollMs < CEILING_MS, `${label} reaches a poller within a second (${timing.pollMs.toFixed(0)} ms)`);
    t.ok(timing.webhookMs < CEILING_MS, `${label} reaches the receiver within a second (${timing.webhookMs.toFixed(0)} ms)`);
  }
});

t.test(
  'a transaction left open holds back only its own event; once it rolls back, nothing waits',
  { skip: beside ? false : 'PGlite runs one transaction at a time: an open one holds every other, the server too' },
  async (t) => {
    const { org, writeAndTime } = await world(t, 'open-feed');
    await writeAndTime();
    let rollBack!: () => void;
    const held = new Promise<void>((resolve) => (rollBack = resolve));
    let inserted!: () => void;
    const took = new Promise<void>((resolve) => (inserted = resolve));
    const open = beside!
      .begin(async (tx) => {
        await tx.unsafe(`insert into outbox_events (org_id, type, subject_id, payload) values ($1, 'relationship.opened', gen_random_uuid(), '{}'::jsonb)`, [org]);
        inserted();
        await held;
        throw new Error('roll back');
      })
      .catch(() => {});
    await took; // its seq is taken, its transaction open
    const whileOpen = await writeAndTime();
    rollBack();
    await open;
    const afterRollback = await writeAndTime();
    figures.push(`while a transaction that took a seq stays open: ${fmt(whileOpen)}`, `after it rolled back: ${fmt(afterRollback)}`);
    for (const [label, timing] of [['an event written while it is open', whileOpen], ['one written after it rolled back', afterRollback]] as const) {
      t.ok(timing.pollMs < CEILING_MS, `${label} reaches a poller within a second (${timing.pollMs.toFixed(0)} ms)`);
      t.ok(timing.webhookMs < CEILING_MS, `${label} reaches the receiver within a second (${timing.webhookMs.toFixed(0)} ms)`);
    }
  },
);
