import { sql } from 'drizzle-orm';
import t from 'tap';
import { bindUseCases, runUseCase, SERIALIZATION_RETRIES } from '../../src/domain/bind-use-cases.ts';
import { ambientTransaction, systemClock, withTransaction, type Ctx } from '../../src/domain/context.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client } from '../helpers/fixtures.ts';

// Deadlocks and serialization failures are retried in the one place use cases run, a bounded
// number of times with jitter; past that the answer is 503 with Retry-After, never 500.
const pgError = (code: string) => Object.assign(new Error(`postgres says ${code}`), { code });

t.test('runUseCase retries 40001 and 40P01, then answers UNAVAILABLE with retryAfter', async (t) => {
  for (const code of ['40001', '40P01']) {
    let calls = 0;
    const value = await runUseCase(async () => {
      if (++calls < 3) throw pgError(code);
      return 'done';
    });
    t.equal(value, 'done', `${code}: succeeds on the third run`);
    t.equal(calls, 3);

    let hopeless = 0;
    const refused = await runUseCase(async () => {
      hopeless++;
      throw pgError(code);
    }).catch((error: unknown) => error);
    t.equal(hopeless, SERIALIZATION_RETRIES + 1, `${code}: bounded (${hopeless} runs)`);
    t.ok(refused instanceof DomainError);
    t.match(refused, { code: 'UNAVAILABLE', details: { retryAfter: Number } });
  }
  let once = 0;
  const other = await runUseCase(async () => {
    once++;
    throw pgError('23505');
  }).catch((error: unknown) => error);
  t.equal(once, 1, 'other errors are not retried');
  t.match(other, { code: '23505' });
  let inner = 0;
  const nested = await ambientTransaction
    .run({} as never, () =>
      runUseCase(async () => {
        inner++;
        throw pgError('40P01');
      }),
    )
    .catch((error: unknown) => error);
  t.equal(inner, 1, 'inside an outer unit of work the outer unit retries, as a whole');
  t.match(nested, { code: '40P01' });
});

const { app, auth, database } = await buildTestApp(t);

t.test('an induced deadlock between two use cases is retried: both succeed', async (t) => {
  const tag = `lock-${Date.now()}`;
  await database.rows(sql`create table if not exists deadlock_probe (id text primary key, n int not null default 0)`);
  await database.rows(sql`insert into deadlock_probe (id) values (${`${tag}-a`}), (${`${tag}-b`})`);
  let runs = 0;
  const services = bindUseCases(
    {
      // Locks two rows in the given order, with a pause between: the reversed twin deadlocks with it.
      touchBoth: async (ctx: Ctx, order: string[]) =>
        withTransaction(ctx, async (tx) => {
          runs++;
          for (const id of order) {
            await tx.db.execute(sql`update deadlock_probe set n = n + 1 where id = ${`${tag}-${id}`}`);
            if (database.kind === 'postgres') await tx.db.execute(sql`select pg_sleep(0.2)`);
          }
          return order.join('');
        }),
    },
    (actor) => ({ db: database.db, clock: systemClock, actor }),
  );
  const actor = { sub: 'test', org: uniqueOrg('deadlock'), roles: ['admin' as const] };
  const results = await Promise.all([services.touchBoth(actor, ['a', 'b']), services.touchBoth(actor, ['b', 'a'])]);
  t.same(results, ['ab', 'ba'], 'both succeed');
  const rows = await database.rows<{ n: number }>(sql`select n from deadlock_probe where id like ${`${tag}-%`}`);
  t.same(rows.map((r) => r.n), [2, 2], 'each ran its effect exactly once');
  if (database.kind === 'postgres') t.ok(runs >= 3, `the deadlock victim was run again (${runs} runs)`);
});

t.test('concurrent people batches over the same people in reversed orders: no 5xx, every row once', async (t) => {
  const org = uniqueOrg('batches');
  const admin = client(app, auth({ org }));
  const ids = Array.from({ length: 40 }, (_, i) => `HR-${String(i).padStart(3, '0')}`);
  const batch = (order: string[], round: number) => ({ people: order.map((externalId) => ({ externalId, name: `${externalId} round ${round}` })) });
  const statuses: number[] = [];
  await Promise.all(
    Array.from({ length: 10 }, (_, round) =>
      Promise.all([
        admin.call('POST', '/v1/people/batch', batch(ids, round)).then((r) => statuses.push(r.status)),
        admin.call('POST', '/v1/people/batch', batch(ids.toReversed(), round)).then((r) => statuses.push(r.status)),
      ]),
    ),
  );
  t.same([...new Set(statuses)], [200], `all ${statuses.length} batches answered 200`);
  const [count] = await database.rows<{ n: number; distinct: number }>(
    sql`select count(*)::int as n, count(distinct external_id)::int as distinct from people where org_id = ${org}`,
  );
  t.same(count, { n: 40, distinct: 40 }, 'every person exists once');
  const answered = await admin.must('POST', '/v1/people/batch', batch(ids.toReversed(), 99));
  t.same(answered.people.map((p: { externalId: string }) => p.externalId), ids.toReversed(), "the answer keeps the caller's order");
});
