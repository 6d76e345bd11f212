// The rate-limit store's cost: hits a second through the plugin's memory store, through one upsert
// per hit, and through the database store's leases (one upsert per slice), with 20 callers at once, on PostgreSQL and on PGlite; then the
// same for a whole cheap request (GET /v1/me, which spends the per-IP and the per-token limit).
//   tsx bench/rate-limit-store.ts [--seconds 5] [--url postgres://postgres@127.0.0.1:5432/test]
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { buildApp } from '../src/app.ts';
import { signDevelopmentToken } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/client.ts';
import { hitRateLimit, LeasedCounter } from '../src/db/rate-limit-store.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' } } });
const seconds = Number(values.seconds);
const CALLERS = 20;
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (a: boolean, b: boolean, cache: number) => {
  incr(key: string, cb: (error: Error | null, result: unknown) => void, timeWindow: number, max: number): void;
};

async function rate(hit: (key: string) => Promise<unknown>): Promise<number> {
  let hits = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, caller) => {
      // 200 keys, as a minute of traffic from many tokens and addresses would have.
      for (let i = 0; performance.now() < until; i++) {
        await hit(`bench:${caller}:${i % 10}`);
        hits++;
      }
    }),
  );
  return hits / seconds;
}

async function requests(database: DatabaseHandle, store: 'memory' | 'database'): Promise<number> {
  const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', WEBHOOKS_DISPATCH: 'off', RATE_LIMIT_PER_MINUTE: '100000000', RATE_LIMIT_IP_PER_MINUTE: '100000000' }), rateLimitStore: store };
  const app = await buildApp({ config, database });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const token = signDevelopmentToken(config, { org: 'bench', roles: ['admin'], sub: 'bench' });
  const result = await autocannon({ url: `${url}/v1/me`, connections: CALLERS, duration: seconds, headers: { authorization: `Bearer ${token}` } });
  await app.close();
  if (result.non2xx) throw new Error(`${result.non2xx} answers were not 2xx`);
  return result.requests.average;
}

async function measure(label: string, database: DatabaseHandle) {
  const memory = new LocalStore(false, false, 5000);
  const inMemory = await rate((key) => new Promise((resolve, reject) => memory.incr(key, (error, result) => (error ? reject(error) : resolve(result)), 60_000, 1e9)));
  const inDatabase = await rate((key) => hitRateLimit(database.db, key, 60_000));
  const leases = new LeasedCounter((key, windowMs, count) => hitRateLimit(database.db, key, windowMs, count));
  const inLeases = await rate((key) => leases.hit(key, 60_000, 1e9));
  const memoryRequests = await requests(database, 'memory');
  const databaseRequests = await requests(database, 'database');
  const perSecond = (rate: number) => Math.round(rate).toLocaleString('en');
  console.log(`| ${label} | ${perSecond(inMemory)} | ${perSecond(inDatabase)} | ${(inMemory / inDatabase).toFixed(0)}× | ${perSecond(inLeases)} | ${Math.round(memoryRequests).toLocaleString('en')} | ${Math.round(databaseRequests).toLocaleString('en')} | ${(memoryRequests / databaseRequests).toFixed(2)}× |`);
}

console.log(`${CALLERS} callers, ${seconds} s each`);
console.log('| database | memory store hits/s | one upsert per hit, hits/s | ratio | leases of 1,000 hits, hits/s | GET /v1/me req/s, memory | req/s, database store | ratio |');
console.log('|---|---|---|---|---|---|---|---|');
const name = `tandem_bench_rl_${randomBytes(4).toString('hex')}`;
const admin = postgres(values.url!, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
try {
  const url = new URL(values.url!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  await database.migrate();
  await measure('PostgreSQL', database);
  await database.close();
} finally {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
const pglite = await openDatabase({ kind: 'pglite' });
await pglite.migrate();
await measure('PGlite', pglite);
await pglite.close();
