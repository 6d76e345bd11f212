import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { hitRateLimit, LeasedCounter, leaseSize, type RateLimitCount } from '../../src/db/rate-limit-store.ts';
import { freshDatabase } from '../helpers/database.ts';

// The database rate-limit store hands out hits from leases (src/db/rate-limit-store.ts): a slice
// of a key's budget counted in one upsert. Several instances are several LeasedCounters on one
// database; what must hold is what one shared counter promised: never more than the limit.
const { database, drop } = await freshDatabase();
t.teardown(drop);

/** An instance's counter on the shared database, counting its round trips. */
function instance() {
  const counter = { takes: 0, store: undefined as unknown as LeasedCounter };
  counter.store = new LeasedCounter((key, windowMs, count) => {
    counter.takes++;
    return hitRateLimit(database.db, key, windowMs, count);
  });
  return counter;
}
const allowed = (count: RateLimitCount, max: number) => count.current <= max;
let keys = 0;
const freshKey = () => `test:${process.pid}:${++keys}`;

t.test('the lease is an eighth of what is left, one hit near the limit, at most 1,000', async (t) => {
  t.equal(leaseSize(5, 0), 1, 'a small limit is counted hit by hit');
  t.equal(leaseSize(600, 0), 75);
  t.equal(leaseSize(600, 590), 1);
  t.equal(leaseSize(600, 700), 1, 'past the limit: one hit, which is refused');
  t.equal(leaseSize(1e9, 0), 1000);
});

t.test('two instances taking turns pass exactly the limit between them, with far fewer statements than hits', async (t) => {
  const [a, b] = [instance(), instance()];
  const key = freshKey();
  let passed = 0;
  for (let i = 0; i < 150; i++) if (allowed(await (i % 2 ? a : b).store.hit(key, 60_000, 100), 100)) passed++;
  t.equal(passed, 100, 'every position up to the limit is given out once; none beyond');
  t.ok(a.takes + b.takes < 60, `${a.takes + b.takes} statements for 150 hits`);
  const takesWhenRefused = a.takes + b.takes;
  for (let i = 0; i < 20; i++) t.notOk(allowed(await a.store.hit(key, 60_000, 100), 100));
  t.equal(a.takes + b.takes, takesWhenRefused, 'once past the limit, refusals cost no statement');
});

t.test('twenty callers at once on one instance share its leases: every hit a position of its own', async (t) => {
  const a = instance();
  const key = freshKey();
  const currents = await Promise.all(Array.from({ length: 20 }, async () => {
    const seen: number[] = [];
    for (let i = 0; i < 250; i++) seen.push((await a.store.hit(key, 60_000, 1e9)).current);
    return seen;
  }));
  const all = currents.flat();
  t.equal(new Set(all).size, 5000, 'no position handed out twice');
  t.ok(a.takes <= 6, `${a.takes} statements for 5,000 hits`);
  const [row] = await database.rows<{ hits: number }>(sql`select hits from rate_limits where key = ${key}`);
  t.ok(row!.hits >= 5000 && row!.hits <= 6000, `the database counted ${row!.hits}: the hits plus what is still leased`);
});

t.test('a new window starts afresh, for the database and for the leases', async (t) => {
  const [a, b] = [instance(), instance()];
  const key = freshKey();
  for (let i = 0; i < 3; i++) t.ok(allowed(await a.store.hit(key, 300, 3), 3));
  t.notOk(allowed(await b.store.hit(key, 300, 3), 3), 'the other instance sees the spent window');
  const refused = await a.store.hit(key, 300, 3);
  t.notOk(allowed(refused, 3));
  t.ok(refused.ttl > 0 && refused.ttl <= 300, `the refusal says when the window ends (${refused.ttl} ms)`);
  await new Promise((resolve) => setTimeout(resolve, 350));
  t.ok(allowed(await b.store.hit(key, 300, 3), 3), 'after the window, hits pass again');
  t.ok(allowed(await a.store.hit(key, 300, 3), 3));
});

t.test('a database that fails a lease fails those hits; the next hit tries again', async (t) => {
  let failNext = true;
  const store = new LeasedCounter((key, windowMs, count) => {
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('connection refused'));
    }
    return hitRateLimit(database.db, key, windowMs, count);
  });
  const key = freshKey();
  const waiting = await Promise.allSettled([store.hit(key, 60_000, 10), store.hit(key, 60_000, 10)]);
  t.same(waiting.map((outcome) => outcome.status), ['rejected', 'rejected'], 'both hits waiting on the failed lease fail');
  const after = await store.hit(key, 60_000, 10);
  t.equal(after.current, 1, 'the failed lease counted nothing; the next hit is the first');
});

t.test('any interleaving of instances never passes more than the limit, and passes all of it when they keep asking', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 60 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 120 }), async (max, turns) => {
      const instances = [instance(), instance(), instance()];
      const key = freshKey();
      let passed = 0;
      for (const turn of turns) if (allowed(await instances[turn]!.store.hit(key, 60_000, max), max)) passed++;
      if (passed > max) return false;
      // Everyone keeps asking until refused: the leftovers of every lease are spent, so the fleet passes exactly max.
      for (const each of instances) while (allowed(await each.store.hit(key, 60_000, max), max)) passed++;
      return passed === max;
    }),
    { numRuns: 40 },
  );
  t.pass('40 random interleavings of three instances');
});
