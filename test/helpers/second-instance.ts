import { sql } from 'drizzle-orm';
import type { Test } from 'tap';
import { buildApp, type App } from '../../src/app.ts';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.ts';
import type { TestApp } from './app.ts';

/**
 * Another app instance on the same PostgreSQL database as `first`, as in a scaled-out deployment:
 * its own connections, its own LISTEN, nothing shared in memory. PostgreSQL only (PGlite is one
 * connection inside one process). Closed when `t` ends.
 */
export async function buildSecondInstance(t: Test, first: TestApp): Promise<{ app: App; database: DatabaseHandle }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl || first.database.kind !== 'postgres') throw new Error('A second instance needs PostgreSQL: set TEST_DATABASE_URL.');
  const [current] = await first.database.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(serverUrl);
  url.pathname = `/${current!.name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 5 });
  const app = await buildApp({ config: first.config, database });
  t.teardown(async () => {
    await app.close();
    await database.close();
  });
  return { app, database };
}
