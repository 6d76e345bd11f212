import WebSocket from 'ws';
import t from 'tap';
import { createSigner } from 'fast-jwt';
import { connectSubscriptions } from '../graphql/ws-client.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';

// graphql-transport-ws close codes: 4400 bad request, 4401 unauthorised, 4403 forbidden,
// 4408 no connection_init in time, 4429 too many.
const INIT_TIMEOUT_MS = 500;
const { app, auth, config } = await buildTestApp(t, {
  config: { rateLimit: { perToken: 4, perIp: 1_000_000 }, graphql: { introspection: true, connectionInitTimeoutMs: INIT_TIMEOUT_MS } },
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;

/** Sends the messages (strings go out as they are) and answers what the server did: its messages and the close. */
async function exchange(messages: unknown[], protocol = 'graphql-transport-ws') {
  const socket = new WebSocket(url, protocol);
  const received: { type: string; id?: string; payload?: unknown }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on('message', (raw) => received.push(JSON.parse(String(raw))));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  for (const message of messages) socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  const timer = setTimeout(() => socket.close(1000), 1500);
  const close = await closed;
  clearTimeout(timer);
  return { ...close, received };
}

const token = auth({ org: uniqueOrg('ws') }).authorization;
const init = (payload?: unknown) => ({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) });
const VIEWER = { id: '1', type: 'subscribe', payload: { query: 'subscription { relationshipStageChanged(programmeId: "00000000-0000-7000-8000-000000000000") { stage } }' } };

t.test('connection_init without a token: 4401', async (t) => {
  for (const payload of [undefined, null, {}, { authorization: 'Basic abc' }]) {
    const result = await exchange([init(payload)]);
    t.equal(result.code, 4401, JSON.stringify(payload));
    t.match(result.reason, /Unauthorized/);
    t.same(result.received, [], 'no connection_error (not a message of this protocol) and no ack');
  }
});

t.test('a refused token: 4403 with the reason', async (t) => {
  const expired = createSigner({ key: config.jwt.secret })({ sub: 's', org: 'o', roles: ['admin'], iat: 1_000, exp: 2_000 }) as string;
  const noExp = createSigner({ key: config.jwt.secret })({ sub: 's', org: 'o', roles: ['admin'] }) as string;
  for (const [name, bearer] of [['not a JWT', 'Bearer nonsense'], ['expired', `Bearer ${expired}`], ['without exp', `Bearer ${noExp}`]]) {
    const result = await exchange([init({ authorization: bearer })]);
    t.equal(result.code, 4403, name!);
    t.match(result.reason, /^Forbidden: /);
  }
});

t.test('bad messages: 4400', async (t) => {
  for (const [name, message] of [
    ['not JSON', '{nope'],
    ['no type', JSON.stringify({ payload: {} })],
    ['an array', '[]'],
    ['init payload is a string', JSON.stringify(init('Bearer x'))],
    ['init payload is an array', JSON.stringify(init([token]))],
  ] as const) {
    t.equal((await exchange([message])).code, 4400, name);
  }
});

t.test('subscribe before the connection is acknowledged: 4401; a second connection_init: 4429', async (t) => {
  t.equal((await exchange([VIEWER])).code, 4401);
  const twice = await exchange([init({ authorization: token }), init({ authorization: token })]);
  t.equal(twice.code, 4429);
  t.match(twice.reason, /Too many initialisation requests/);
});

t.test('operations spend the token budget; over it, an operation is refused and then the connection', async (t) => {
  const budget = auth({ org: uniqueOrg('ws-budget') }).authorization;
  const client = await connectSubscriptions(url, { authorization: budget }); // 1
  t.equal(client.refused, null);
  client.subscribe('a', VIEWER.payload.query); // 2
  client.subscribe('b', VIEWER.payload.query); // 3
  client.subscribe('c', VIEWER.payload.query); // 4
  client.subscribe('d', VIEWER.payload.query); // 5: over
  const refused = await client.next('d');
  t.equal(refused?.type, 'error');
  t.equal(refused?.payload[0].extensions.code, 'RATE_LIMITED');
  t.ok(refused?.payload[0].extensions.retryAfter > 0);
  const rest = await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: budget } });
  t.equal(rest.statusCode, 429, 'REST shares the budget');
  const again = await exchange([init({ authorization: budget })]);
  t.equal(again.code, 4429, 'a new connection over the budget');
  t.match(again.reason, /Rate limited/);
  await client.close();
});

t.test('a valid token is acknowledged', async (t) => {
  const result = await exchange([init({ authorization: token })]);
  t.equal(result.received[0]?.type, 'connection_ack');
  t.equal(result.code, 1000, 'closed by us, not by the server');
});

t.test('a socket that never sends connection_init is closed with 4408 within the configured time', async (t) => {
  for (const protocol of ['graphql-transport-ws', 'graphql-ws']) {
    const started = Date.now();
    const result = await exchange([], protocol);
    const waited = Date.now() - started;
    t.equal(result.code, 4408, protocol);
    t.match(result.reason, /Connection initialisation timeout/);
    t.comment(`${protocol}: closed after ${waited} ms (configured ${INIT_TIMEOUT_MS} ms)`);
    t.ok(waited >= INIT_TIMEOUT_MS - 50, 'not before the configured time');
  }
});

t.test('subscription documents over the socket meet the limits of documents over HTTP', async (t) => {
  const field = 'relationshipStageChanged(programmeId: "00000000-0000-7000-8000-000000000000")';
  const cases: [string, unknown, string, RegExp][] = [
    ['5,000 tokens', `subscription { ${field} { ${'stage '.repeat(6000)}} }`, 'GRAPHQL_PARSE_FAILED', /5000 tokens/],
    ['21 aliases', `subscription { ${field} { ${Array.from({ length: 21 }, (_, i) => `a${i}: stage`).join(' ')} } }`, 'QUERY_TOO_COSTLY', /aliases/i],
    ['21 directives', `subscription { ${field} { ${'stage @include(if: true) '.repeat(21)}} }`, 'QUERY_TOO_COSTLY', /directives/i],
    ['an AST, not text', { kind: 'Document', definitions: [] }, 'GRAPHQL_PARSE_FAILED', /not GraphQL/],
  ];
  // Each case on its own token: this file's budget is 4 operations a minute.
  for (const [name, query, code, message] of cases) {
    const client = await connectSubscriptions(url, { authorization: auth({ org: uniqueOrg('ws-limits') }).authorization });
    t.equal(client.refused, null);
    client.subscribe('1', query as string);
    const answer = await client.next('1');
    t.equal(answer?.type, 'error', name);
    t.equal(answer?.payload[0]?.extensions?.code, code, name);
    t.match(answer?.payload[0]?.message, message, name);
    t.equal((await client.next('closed', 100))?.type, undefined, 'the connection stays open');
    await client.close();
  }
});
