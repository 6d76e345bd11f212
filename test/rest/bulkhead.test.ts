import Fastify from 'fastify';
import { request as httpRequest } from 'node:http';
import t, { type Test } from 'tap';
import { bulkhead } from '../../src/rest/bulkhead.ts';
import { handleError } from '../../src/rest/problems.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// Bulk routes let a few requests in at once and keep the rest waiting before their bodies are
// read: memory stays bounded under a burst of batches, nothing is refused while the queue has room.

async function gatedServer(t: Test, options: { concurrency: number; queue: number }) {
  const server = Fastify();
  server.setErrorHandler(handleError);
  let inside = 0;
  let most = 0;
  let arrived = 0;
  let served = 0;
  server.addHook('onRequest', async () => void arrived++);
  let open: () => void = () => {};
  let gate = new Promise<void>((resolve) => (open = resolve));
  server.post('/bulk', { onRequest: bulkhead(options) }, async (request) => {
    inside++;
    most = Math.max(most, inside);
    await gate;
    inside--;
    served++;
    return { got: (request.body as { n: number }).n };
  });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(() => server.close());
  return {
    url,
    most: () => most,
    arrived: () => arrived,
    served: () => served,
    inside: () => inside,
    release() {
      open();
      gate = new Promise<void>((resolve) => (open = resolve));
    },
  };
}

const post = (url: string, n: number) =>
  fetch(`${url}/bulk`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n }) });

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
async function until(condition: () => boolean) {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

t.test('at most `concurrency` inside, the queue waits, past the queue a 503 with Retry-After', async (t) => {
  const server = await gatedServer(t, { concurrency: 2, queue: 2 });
  const answers = [1, 2, 3, 4].map((n) => post(server.url, n));
  await until(() => server.arrived() === 4 && server.inside() === 2);
  await settle();
  t.equal(server.inside(), 2, 'two inside, two waiting');
  const refused = await post(server.url, 5);
  t.equal(refused.status, 503);
  t.equal(refused.headers.get('retry-after'), '1');
  t.match(await refused.json(), { code: 'UNAVAILABLE', retryAfter: 1 });
  server.release();
  await until(() => server.served() === 2 && server.inside() === 2);
  server.release();
  const bodies = await Promise.all(answers.map(async (answer) => (await answer).json()));
  t.same(bodies, [{ got: 1 }, { got: 2 }, { got: 3 }, { got: 4 }], 'every waiting request is served, in order of arrival');
  t.equal(server.most(), 2, 'never more than two at once');
});

t.test('a client that gives up while waiting leaves its place, and a turn ends when its client goes', async (t) => {
  const server = await gatedServer(t, { concurrency: 1, queue: 4 });
  const first = post(server.url, 1);
  await until(() => server.inside() === 1);
  const { hostname, port } = new URL(server.url);
  const gone = httpRequest({ hostname, port, path: '/bulk', method: 'POST', headers: { 'content-type': 'application/json' } });
  gone.on('error', () => {});
  gone.end(JSON.stringify({ n: 2 }));
  await until(() => server.arrived() === 2);
  gone.destroy();
  await settle();
  const third = post(server.url, 3);
  await until(() => server.arrived() === 3);
  server.release();
  t.same(await (await first).json(), { got: 1 });
  await until(() => server.served() === 1 && server.inside() === 1);
  t.equal(server.inside(), 1, 'the one after the client that left is inside, not blocked behind it');
  server.release();
  t.same(await (await third).json(), { got: 3 });
  t.equal(server.most(), 1);
});

t.test('twenty batches of people at once all land, each once', async (t) => {
  const { app, auth } = await buildTestApp(t);
  const org = uniqueOrg('bulk');
  const headers = auth({ org });
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, batch) =>
      app.inject({ method: 'POST', url: '/v1/people/batch', headers, payload: { people: Array.from({ length: 50 }, (_, n) => ({ externalId: `e-${batch}-${n}`, name: `Person ${batch}.${n}` })) } }),
    ),
  );
  t.same(answers.map((answer) => answer.statusCode), Array(20).fill(200));
  t.same(answers.map((answer) => answer.json().created), Array(20).fill(50));
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await app.inject({ method: 'GET', url: `/v1/people?limit=100${cursor ? `&cursor=${cursor}` : ''}`, headers });
    const body = page.json() as { items: unknown[]; nextCursor: string | null };
    count += body.items.length;
    cursor = body.nextCursor;
  } while (cursor);
  t.equal(count, 1000, 'a thousand people, none twice, none lost');
});
