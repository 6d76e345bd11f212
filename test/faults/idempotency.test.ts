import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { buildApp } from '../../src/app.ts';
import { signDevelopmentToken } from '../../src/auth/tokens.ts';
import { createIdempotency } from '../../src/domain/services.ts';
import type { Faults } from '../../src/rest/faults.ts';
import { testConfig, uniqueOrg } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/database.ts';

// Idempotency-Keys atomic with the change: a crash before the commit leaves nothing (the retry runs
// once), a crash after it leaves the change and its response (the retry replays it).
class Crash extends Error {}
const faults: { before: number; after: number; injected: number } = { before: 0, after: 0, injected: 0 };
const hooks: Faults = {
  beforeCommit: () => {
    if (Math.random() < faults.before) {
      faults.injected++;
      throw new Crash('crash before commit');
    }
  },
  afterCommit: () => {
    if (Math.random() < faults.after) {
      faults.injected++;
      throw new Crash('crash after commit');
    }
  },
};
const { database, drop } = await freshDatabase();
const config = testConfig();
const now = new Date();
const app = await buildApp({ config, database, faults: hooks, clock: () => now });
t.teardown(async () => {
  await app.close();
  await drop();
});
const tokenFor = (org: string) => ({ authorization: `Bearer ${signDevelopmentToken(config, { org, roles: ['admin'], sub: 'admin' })}` });
const post = (org: string, url: string, payload: object, key?: string) =>
  app.inject({ method: 'POST', url, headers: { ...tokenFor(org), ...(key ? { 'idempotency-key': key } : {}) }, payload });
const countProgrammes = async (org: string) =>
  (await database.rows<{ n: number }>(sql`select count(*)::int as n from programmes where org_id = ${org}`))[0]!.n;

t.test('a crash between commit and response: the retry gets the original response, one row', async (t) => {
  const org = uniqueOrg('after-commit');
  faults.after = 1;
  const crashed = await post(org, '/v1/programmes', { name: 'Once' }, 'k-1');
  faults.after = 0;
  t.equal(crashed.statusCode, 500, 'the caller never saw the answer');
  t.equal(await countProgrammes(org), 1, 'the change committed');
  const retry = await post(org, '/v1/programmes', { name: 'Once' }, 'k-1');
  t.equal(retry.statusCode, 201, 'the original status');
  t.equal(retry.headers['idempotency-replayed'], 'true');
  t.match(retry.headers['content-type'], /application\/json/);
  const [row] = await database.rows<{ id: string }>(sql`select id from programmes where org_id = ${org}`);
  t.equal(retry.json().id, row!.id, 'the original body');
  t.equal(retry.headers.location, `/v1/programmes/${row!.id}`, 'the original Location');
  t.equal(await countProgrammes(org), 1, 'still one row');
});

t.test('a crash before the commit: nothing stays, and the retry runs once', async (t) => {
  const org = uniqueOrg('before-commit');
  faults.before = 1;
  const crashed = await post(org, '/v1/programmes', { name: 'Once' }, 'k-1');
  faults.before = 0;
  t.equal(crashed.statusCode, 500);
  t.equal(await countProgrammes(org), 0, 'the change rolled back with its key');
  const retry = await post(org, '/v1/programmes', { name: 'Once' }, 'k-1');
  t.equal(retry.statusCode, 201);
  t.notOk(retry.headers['idempotency-replayed'], 'not a replay: it ran');
  t.equal(await countProgrammes(org), 1);
});

t.test('the request is compared as canonical JSON; another request under the key is 422', async (t) => {
  const org = uniqueOrg('canonical');
  const first = await post(org, '/v1/people', { name: 'Ada', email: 'ada@example.com', capacity: 2 }, 'p-1');
  t.equal(first.statusCode, 201);
  const reordered = await post(org, '/v1/people', { capacity: 2, email: 'ada@example.com', name: 'Ada' }, 'p-1');
  t.equal(reordered.statusCode, 201, 'the same body with keys in another order is the same request');
  t.equal(reordered.headers['idempotency-replayed'], 'true');
  const other = await post(org, '/v1/people', { name: 'Grace', email: 'grace@example.com' }, 'p-1');
  t.equal(other.statusCode, 422);
  t.equal(other.json().type, '/problems/idempotency-key-reused');
  const elsewhere = await post(org, '/v1/programmes', { name: 'Ada' }, 'p-1');
  t.equal(elsewhere.statusCode, 422, 'another path under the key is another request');
});

t.test('a refusal is remembered, but what it did is rolled back', async (t) => {
  const org = uniqueOrg('refused');
  const refused = await post(org, '/v1/relationships', { programmeId: '00000000-0000-7000-8000-000000000000', mentorId: '00000000-0000-7000-8000-000000000001', menteeId: '00000000-0000-7000-8000-000000000002', aspiration: 'x' }, 'r-1');
  t.ok(refused.statusCode >= 400 && refused.statusCode < 500, `refused: ${refused.statusCode}`);
  const again = await post(org, '/v1/relationships', { programmeId: '00000000-0000-7000-8000-000000000000', mentorId: '00000000-0000-7000-8000-000000000001', menteeId: '00000000-0000-7000-8000-000000000002', aspiration: 'x' }, 'r-1');
  t.equal(again.statusCode, refused.statusCode);
  t.same(again.json(), refused.json());
  t.equal(again.headers['idempotency-replayed'], 'true');
  t.match(again.headers['content-type'], /application\/problem\+json/);
});

t.test('expired keys are purged, and an expired key runs its request again', async (t) => {
  const org = uniqueOrg('purge');
  t.equal((await post(org, '/v1/programmes', { name: 'Old' }, 'old')).statusCode, 201);
  const idempotency = createIdempotency({ db: database.db, clock: () => new Date(now.getTime() + 25 * 3600_000) });
  const purged = await idempotency.purgeExpired();
  t.ok(purged >= 1, `${purged} expired key(s) purged`);
  const [left] = await database.rows<{ n: number }>(sql`select count(*)::int as n from idempotency_keys where org_id = ${org}`);
  t.equal(left!.n, 0);
  const again = await post(org, '/v1/programmes', { name: 'Old' }, 'old');
  t.equal(again.statusCode, 201);
  t.notOk(again.headers['idempotency-replayed']);
  t.equal(await countProgrammes(org), 2, 'a key past its day is a new request');
});

t.test('property: keyed requests with crashes injected at random points: effects == distinct keys', async (t) => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), before: fc.double({ min: 0, max: 0.6, noNaN: true }), after: fc.double({ min: 0, max: 0.6, noNaN: true }) }), { minLength: 1, maxLength: 15 }),
      async (requests) => {
        const org = uniqueOrg('property');
        const answers = new Map<number, string>();
        for (const request of requests) {
          faults.before = request.before;
          faults.after = request.after;
          // The client retries a failed request with the same key until it has an answer.
          for (let attempt = 0; ; attempt++) {
            if (attempt > 20) {
              faults.before = 0;
              faults.after = 0;
            }
            const response = await post(org, '/v1/programmes', { name: `key ${request.key}` }, `key-${request.key}`);
            if (response.statusCode >= 500) continue;
            if (response.statusCode !== 201) throw new Error(`unexpected ${response.statusCode}: ${response.body}`);
            const id = response.json().id as string;
            if (answers.has(request.key) && answers.get(request.key) !== id) throw new Error(`key ${request.key} answered two different programmes`);
            answers.set(request.key, id);
            break;
          }
        }
        faults.before = 0;
        faults.after = 0;
        runs++;
        const distinct = new Set(requests.map((r) => r.key)).size;
        const rows = await database.rows<{ id: string }>(sql`select id from programmes where org_id = ${org}`);
        return rows.length === distinct && rows.every((row) => [...answers.values()].includes(row.id));
      },
    ),
    { numRuns: 40 },
  );
  t.comment(`property: ${runs} runs, ${faults.injected} crashes injected in all`);
  t.ok(faults.injected > 0, 'crashes were injected');
});
