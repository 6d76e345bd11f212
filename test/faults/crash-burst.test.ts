import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import { startServer, type ChildServer } from '../helpers/child-server.ts';
import { freshDatabase } from '../helpers/database.ts';

// The real server in a child process, killed with SIGKILL while keyed writes are in flight, and
// killed by its own fault hook between a commit and its response. Clients retry with the same key
// until they have an answer. Afterwards: no acknowledged write lost, no write done twice, no wrong
// answer, no 5xx.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const dir = await mkdtemp(join(tmpdir(), 'tandem-burst-'));
const fresh = onPostgres ? await freshDatabase() : undefined;
const serverEnv: Record<string, string> = onPostgres ? { DATABASE_URL: fresh!.url! } : { DATA_DIR: join(dir, 'data') };
t.teardown(async () => {
  await fresh?.drop();
  await rm(dir, { recursive: true, force: true });
});

/** Reads what the database holds, with the server stopped (PGlite serves one process). */
async function inspect<T>(read: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  if (fresh) return read(fresh.database);
  const database = await openDatabase({ kind: 'pglite', dataDir: serverEnv.DATA_DIR! });
  try {
    return await read(database);
  } finally {
    await database.close();
  }
}

interface Answer {
  status: number;
  id?: string;
  replayed: boolean;
}

/** POSTs with a key until the server answers (a connection lost or refused is retried, same key). */
async function keyedPost(server: () => ChildServer, org: string, path: string, body: object, key: string, answers: Answer[]): Promise<Answer> {
  for (;;) {
    const current = server();
    try {
      const response = await fetch(`${current.url}${path}`, {
        method: 'POST',
        headers: { ...current.auth(org), 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const json = (await response.json()) as { id?: string };
      const answer = { status: response.status, ...(json.id ? { id: json.id } : {}), replayed: response.headers.get('idempotency-replayed') === 'true' };
      answers.push(answer);
      if (response.status < 500) return answer;
    } catch {
      // the connection was cut or refused: the server is down; retry shortly with the same key
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

t.test('killed between commit and response (TANDEM_FAULT=after-commit): the retry replays, one row', async (t) => {
  const org = `after-commit-${process.pid}`;
  let server = await startServer({ ...serverEnv, TANDEM_FAULT: 'after-commit' });
  const answers: Answer[] = [];
  const port = Number(server.env.PORT);
  const pending = keyedPost(() => server, org, '/v1/programmes', { name: 'Exactly once' }, 'once', answers);
  const death = await server.exited;
  t.equal(death.signal, 'SIGKILL', 'the server killed itself after the commit');
  server = await startServer(serverEnv, port);
  const answer = await pending;
  await server.stop();
  t.equal(answer.status, 201, 'the original status');
  t.ok(answer.replayed, 'a replay of the committed request');
  const rows = await inspect((database) => database.rows<{ id: string }>(sql`select id from programmes where org_id = ${org}`));
  t.equal(rows.length, 1, 'one row');
  t.equal(rows[0]!.id, answer.id, 'the original body');
});

t.test('SIGKILL x3 during a burst of keyed writes: acknowledged lost 0, duplicates 0, wrong 0, 5xx 0', async (t) => {
  const org = `burst-${process.pid}`;
  const requests = 90;
  const kills = 3;
  let server = await startServer(serverEnv);
  const port = Number(server.env.PORT);
  const answers: Answer[] = [];
  const firstAnswer = new Map<number, Answer>();
  let done = 0;
  let next = 0;
  let killed = 0;
  let restarting: Promise<void> | null = null;
  const killAt = [0.2, 0.45, 0.7].map((share) => Math.floor(share * requests));

  async function worker() {
    while (next < requests) {
      const i = next++;
      const answer = await keyedPost(() => server, org, '/v1/people', { name: `burst person ${i}`, externalId: `BURST-${i}` }, `burst-${i}`, answers);
      firstAnswer.set(i, answer);
      done++;
      if (killed < kills && done >= killAt[killed]! && !restarting) {
        killed++;
        const victim = server;
        restarting = (async () => {
          await victim.kill();
          server = await startServer(serverEnv, port);
          restarting = null;
        })();
      }
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker));
  await restarting;
  // Every key once more: each must replay its first answer.
  const replays = await Promise.all(
    Array.from({ length: requests }, (_, i) => keyedPost(() => server, org, '/v1/people', { name: `burst person ${i}`, externalId: `BURST-${i}` }, `burst-${i}`, answers)),
  );
  await server.stop();

  const rows = await inspect((database) => database.rows<{ id: string; external_id: string }>(sql`select id, external_id from people where org_id = ${org}`));
  const byExternalId = new Map<string, string[]>();
  for (const row of rows) byExternalId.set(row.external_id, [...(byExternalId.get(row.external_id) ?? []), row.id]);
  let lost = 0;
  let wrong = 0;
  for (let i = 0; i < requests; i++) {
    const first = firstAnswer.get(i)!;
    const stored = byExternalId.get(`BURST-${i}`) ?? [];
    if (first.status === 201 && !stored.includes(first.id!)) lost++;
    if (first.status !== 201 || replays[i]!.status !== 201 || replays[i]!.id !== first.id || !replays[i]!.replayed) wrong++;
  }
  const duplicates = rows.length - byExternalId.size;
  const serverErrors = answers.filter((a) => a.status >= 500).length;
  const figures = { database: onPostgres ? 'postgres' : 'pglite', requests, answers: answers.length, kills: killed, acknowledged: [...firstAnswer.values()].filter((a) => a.status === 201).length, replayedAfterCrash: [...firstAnswer.values()].filter((a) => a.replayed).length, lost, duplicates, wrong, serverErrors };
  t.comment(`crash burst figures: ${JSON.stringify(figures)}`);
  t.equal(killed, kills, `${kills} SIGKILLs during the burst`);
  t.equal(byExternalId.size, requests, 'every request took effect');
  t.equal(lost, 0, 'acknowledged lost: 0');
  t.equal(duplicates, 0, 'duplicates: 0');
  t.equal(wrong, 0, 'wrong answers: 0');
  t.equal(serverErrors, 0, '5xx: 0');
});
