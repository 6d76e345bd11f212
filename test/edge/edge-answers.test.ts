import { connect, type Socket } from 'node:net';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { scimToken } from '../scim/scim-client.ts';

// Answers made before or around the routes: what Node's HTTP parser refuses (431 for oversized
// headers, 400 for a request that does not parse) and what arrives while the app shuts down (503
// with Retry-After) are problems, and SCIM errors under /scim/v2 — over real sockets.

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Every HTTP/1.1 response in the bytes a socket received, in order. */
function parseResponses(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...lines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    const bodyBytes = Buffer.from(rest.slice(end + 4)).subarray(0, length);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body: bodyBytes.toString() });
    rest = Buffer.from(rest.slice(end + 4)).subarray(length).toString();
  }
  return responses;
}

/** Opens a socket; `received()` resolves with everything read once the server closes it (or after 10 s). */
async function rawSocket(port: number): Promise<{ socket: Socket; received: () => Promise<RawResponse[]> }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  const chunks: Buffer[] = [];
  socket.on('data', (chunk) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
  const received = async () => {
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    socket.destroy();
    return parseResponses(Buffer.concat(chunks).toString());
  };
  return { socket, received };
}

const request = (method: string, path: string, headers: Record<string, string> = {}) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;

t.test('oversized headers: 431 problem; under /scim/v2 a SCIM error', async (t) => {
  const { app } = await buildTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const big = { 'x-padding': 'a'.repeat(20_000) };

  const rest = await rawSocket(port);
  rest.socket.write(request('GET', '/v1/people', big));
  const [answer] = await rest.received();
  t.equal(answer?.status, 431);
  t.equal(answer?.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(answer!.body), { type: '/problems/headers-too-large', status: 431, code: 'HEADERS_TOO_LARGE', instance: '/v1/people', detail: /16 KB/ });

  const scim = await rawSocket(port);
  scim.socket.write(request('GET', '/scim/v2/Users?filter=x', big));
  const [scimAnswer] = await scim.received();
  t.equal(scimAnswer?.status, 431);
  t.match(scimAnswer?.headers['content-type'], 'application/scim+json');
  t.match(JSON.parse(scimAnswer!.body), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '431', detail: /16 KB/ });
});

t.test('a request that does not parse: 400 problem; under /scim/v2 a SCIM invalidSyntax', async (t) => {
  const { app } = await buildTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;

  const rest = await rawSocket(port);
  rest.socket.write('GET /v1/people HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\n\r\n');
  const [answer] = await rest.received();
  t.equal(answer?.status, 400);
  t.equal(answer?.headers['content-type'], 'application/problem+json');
  t.match(JSON.parse(answer!.body), { type: '/problems/validation-failed', status: 400, code: 'BAD_USER_INPUT', detail: /not valid HTTP/ });

  const scim = await rawSocket(port);
  scim.socket.write('GET /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Without Colon\r\n\r\n');
  const [scimAnswer] = await scim.received();
  t.equal(scimAnswer?.status, 400);
  t.match(JSON.parse(scimAnswer!.body), { status: '400', scimType: 'invalidSyntax' });
});

t.test('while the app closes, requests on open connections get a 503 problem with Retry-After', async (t) => {
  const { app, config, auth } = await buildTestApp(t);
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let started = 0;
  // A request in flight keeps its connection (and the close) open while the next one arrives on it.
  app.get('/test-held', async () => {
    started++;
    await held;
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const org = uniqueOrg('closing');

  const sockets = await Promise.all([rawSocket(port), rawSocket(port), rawSocket(port)]);
  for (const { socket } of sockets) socket.write(request('GET', '/test-held'));
  while (started < 3) await new Promise((resolve) => setTimeout(resolve, 10));

  const closed = app.close();
  const [rest, scim, graphql] = sockets as [(typeof sockets)[0], (typeof sockets)[0], (typeof sockets)[0]];
  rest.socket.write(request('GET', '/v1/people', auth({ org })));
  scim.socket.write(request('GET', '/scim/v2/Users', { authorization: `Bearer ${scimToken(config, { org, scope: 'scim' })}` }));
  graphql.socket.write(request('GET', '/graphql?query=%7Bviewer%7Bid%7D%7D', auth({ org })));
  await new Promise((resolve) => setTimeout(resolve, 200));
  release();
  const [restAnswers, scimAnswers, graphqlAnswers] = await Promise.all([rest.received(), scim.received(), graphql.received()]);
  await closed;

  t.equal(restAnswers[0]?.status, 200, 'the request in flight finishes');
  const refused = restAnswers[1];
  t.equal(refused?.status, 503, 'REST: 503');
  t.equal(refused?.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(refused?.headers['retry-after'], '1', 'with Retry-After');
  t.equal(refused?.headers.connection, 'close', 'and the connection closed');
  t.ok(refused?.headers['x-request-id'], 'with the request id like every answer');
  t.match(JSON.parse(refused!.body), { type: '/problems/service-unavailable', status: 503, code: 'UNAVAILABLE', retryAfter: 1 });

  const scimRefused = scimAnswers[1];
  t.equal(scimRefused?.status, 503, 'SCIM: 503');
  t.match(scimRefused?.headers['content-type'], 'application/scim+json');
  t.equal(scimRefused?.headers['retry-after'], '1');
  t.match(JSON.parse(scimRefused!.body), { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503' });

  const graphqlRefused = graphqlAnswers[1];
  t.equal(graphqlRefused?.status, 503, 'GraphQL: 503');
  t.equal(graphqlRefused?.headers['retry-after'], '1');
  t.match(JSON.parse(graphqlRefused!.body), { errors: [{ extensions: { code: 'UNAVAILABLE' } }] });
});
