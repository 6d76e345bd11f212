import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { outboxEvents } from '../../src/db/schema.ts';
import { createFanOut, ensureFanOutCursor } from '../../src/webhooks/fan-out.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client } from '../helpers/fixtures.ts';
import { webhookApi } from './helpers/world.ts';

// The exact feed (src/webhooks/visibility.ts) as a property: whatever writers commit, in whatever
// order their transactions end, and whatever they roll back, a poller of GET /v1/events reads every
// committed event exactly once and none rolled back, and the fan-out gives each one its delivery.
// On PostgreSQL the writers run at once, on connections of their own, holding their transactions
// open for random times (so seqs commit out of order) while the poller and the fan-out read. On
// PGlite transactions run one after another: the writers' transactions and the reads interleave in
// a random order, which is all the concurrency there is.
const { app, database, auth } = await buildTestApp(t, { config: { webhooks: { dispatch: false, allowPrivateUrls: true } } });
await ensureFanOutCursor(database.db);
const concurrent = database.kind === 'postgres';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const totals = { runs: 0, committed: 0, rolledBack: 0, lateCommits: 0, polls: 0 };
t.teardown(() => t.comment(`${database.kind}: ${totals.runs} runs, ${totals.committed} events committed, ${totals.rolledBack} rolled back, ${totals.lateCommits} committed behind a later seq, ${totals.polls} polls; none missed or repeated`));

const Writer = fc.record({
  events: fc.integer({ min: 1, max: 3 }),
  rollBack: fc.boolean(),
  startMs: fc.integer({ min: 0, max: 40 }),
  holdMs: fc.integer({ min: 0, max: 60 }),
});

type WriterPlan = { events: number; rollBack: boolean; startMs: number; holdMs: number };

/** One writer's transaction: its events, then a wait with the transaction open, then commit or roll back. */
async function write(org: string, writer: WriterPlan): Promise<{ ids: string[]; seqs: number[] } | null> {
  try {
    return await database.db.transaction(async (tx) => {
      const rows = await tx
        .insert(outboxEvents)
        .values(Array.from({ length: writer.events }, () => ({ orgId: org, type: 'session.logged', subjectId: '00000000-0000-7000-8000-000000000001', payload: { organisationId: org } })))
        .returning({ id: outboxEvents.id, seq: outboxEvents.seq });
      if (concurrent) await sleep(writer.holdMs);
      if (writer.rollBack) throw new Error('roll back');
      return { ids: rows.map((row) => row.id), seqs: rows.map((row) => row.seq) };
    });
  } catch {
    return null;
  }
}

t.test('a poller never misses or repeats an event, under concurrent writers with random rollbacks', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(Writer, { minLength: 1, maxLength: concurrent ? 12 : 8 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), async (writers, limit, fanOutBatch) => {
      const org = uniqueOrg('feed-property');
      const api = client(app, auth({ org, roles: ['admin'] }));
      await webhookApi(app, auth({ org, roles: ['admin'] })).must('POST', '/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/never-called' });
      let cursor = (await api.must('GET', '/v1/events?limit=1')).pollCursor as string;
      const seen: string[] = [];
      const fanOut = createFanOut({ batch: fanOutBatch });
      const poll = async () => {
        for (;;) {
          totals.polls++;
          const page = await api.must('GET', `/v1/events?limit=${limit}&cursor=${cursor}`);
          seen.push(...(page.items as { id: string }[]).map((event) => event.id));
          cursor = page.pollCursor;
          if (!page.nextCursor) return;
        }
      };
      const committed: { ids: string[]; seqs: number[]; order: number }[] = [];
      let commits = 0;
      const run = async (writer: WriterPlan) => {
        const result = await write(org, writer);
        if (result) committed.push({ ...result, order: commits++ });
      };
      if (concurrent) {
        let done = false;
        const writing = Promise.all(writers.map(async (writer) => (await sleep(writer.startMs), run(writer)))).finally(() => (done = true));
        const reading = (async () => {
          while (!done) {
            await Promise.all([poll(), fanOut(database.db, new Date())]);
            await sleep(3);
          }
        })();
        await Promise.all([writing, reading]);
      } else {
        // One transaction at a time: a read after each writer, or after every other one.
        for (const [i, writer] of writers.entries()) {
          await run(writer);
          if (writer.startMs % 2 === 0 || i === writers.length - 1) await Promise.all([poll(), fanOut(database.db, new Date())]);
        }
      }
      await poll(); // everything has ended: a last poll reads the rest
      while ((await fanOut(database.db, new Date())) > 0);

      const expected = committed.flatMap((c) => c.ids);
      totals.runs++;
      totals.committed += expected.length;
      totals.rolledBack += writers.filter((w) => w.rollBack).reduce((n, w) => n + w.events, 0);
      // A commit behind a later seq: a transaction that committed after one whose seqs are higher.
      totals.lateCommits += committed.filter((c) => committed.some((d) => d.order < c.order && Math.min(...d.seqs) > Math.max(...c.seqs))).length;
      if (new Set(seen).size !== seen.length) throw new Error(`an event was read twice: ${seen.join(', ')}`);
      if ([...seen].sort().join() !== [...expected].sort().join()) throw new Error(`read ${seen.length} events, committed ${expected.length}`);
      // Each transaction's events in its own seq order, as written.
      for (const c of committed) {
        const at = c.ids.map((id) => seen.indexOf(id));
        if (at.some((index, i) => i > 0 && index < at[i - 1]!)) throw new Error('a transaction’s events out of order');
      }
      const [made] = await database.rows<{ n: number; events: number }>(
        sql`select count(*)::int as n, count(distinct event_id)::int as events from webhook_deliveries where org_id = ${org} and trigger = 'scheduled'`,
      );
      if (made!.n !== expected.length || made!.events !== expected.length) throw new Error(`fan-out made ${made!.n} deliveries for ${expected.length} events`);
    }),
    { numRuns: concurrent ? 25 : 15 },
  );
  t.ok(totals.runs >= 15, `${totals.runs} runs: each committed event read once, none rolled back, each fanned out once`);
  if (concurrent) t.ok(totals.lateCommits > 0, `the writers did commit behind later seqs (${totals.lateCommits} times): the case the feed must not skip`);
});
