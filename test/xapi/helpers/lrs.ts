import { isDeepStrictEqual } from 'node:util';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LrsRequest {
  version: string | undefined;
  authorized: boolean;
  status: number;
  statements: Record<string, unknown>[];
}

/**
 * A Learning Record Store on 127.0.0.1 that keeps to the rules of xAPI's statement resource that
 * Tandem depends on: `X-Experience-API-Version` 1.0.x or 2.0.x (else 400), Basic authentication
 * (else 401), and statement ids: a statement whose id it holds is accepted again when it is the
 * same statement and refused with 409 when it is not (the whole batch is then refused).
 * `down` makes it answer 503 with Retry-After, as a store under maintenance would.
 */
export async function startLrs(credentials: { username: string; password: string }) {
  const stored = new Map<string, Record<string, unknown>>();
  const requests: LrsRequest[] = [];
  let down = false;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  const server = createServer(async (request, response) => {
    const text = await read(request);
    const version = request.headers['x-experience-api-version'] as string | undefined;
    const authorized = request.headers.authorization === expected;
    const answer = (status: number, body: unknown, statements: Record<string, unknown>[] = []) => {
      requests.push({ version, authorized, status, statements });
      response.writeHead(status, { 'content-type': 'application/json', 'x-experience-api-version': '1.0.3', ...(status === 503 ? { 'retry-after': '1' } : {}) });
      response.end(JSON.stringify(body));
    };
    if (down) return answer(503, { error: 'down for maintenance' });
    if (request.method !== 'POST' || new URL(request.url!, 'http://lrs').pathname !== '/xapi/statements') return answer(404, { error: 'no such resource' });
    if (!version || !/^(1\.0\.\d+|2\.0\.\d+)$/.test(version)) return answer(400, { error: 'X-Experience-API-Version is missing or not supported' });
    if (!authorized) return answer(401, { error: 'unauthorised' });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return answer(400, { error: 'not JSON' });
    }
    const statements = (Array.isArray(body) ? body : [body]) as Record<string, unknown>[];
    if (statements.some((s) => typeof s.id !== 'string')) return answer(400, { error: 'every statement needs an id here' }, statements);
    const conflict = statements.find((s) => stored.has(s.id as string) && !isDeepStrictEqual(stored.get(s.id as string), s));
    if (conflict) return answer(409, { error: `statement ${String(conflict.id)} exists with other content` }, statements);
    for (const statement of statements) stored.set(statement.id as string, statement);
    return answer(200, statements.map((s) => s.id), statements);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xapi`,
    stored,
    requests,
    setDown(value: boolean) {
      down = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
