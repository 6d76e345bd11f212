import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsFolder, openDatabase, type DatabaseHandle } from '../../src/db/client.ts';

const CACHE_DIR = join(migrationsFolder, '..', 'node_modules', '.cache', 'tandem-test');

/**
 * A fresh, migrated database for one test file: PGlite in memory by default (loaded from a
 * migrated snapshot, so each file pays ~0.5 s, not a full initdb); with TEST_DATABASE_URL, a
 * uniquely named PostgreSQL database, dropped at the end.
 */
export async function freshDatabase(options: { traced?: boolean } = {}): Promise<{ database: DatabaseHandle; drop: () => Promise<void>; url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) return freshPostgres(serverUrl, true, options.traced);
  const database = await openDatabase({ kind: 'pglite', loadDataDir: await migratedSnapshot(), traced: options.traced === true });
  return { database, drop: () => database.close() };
}

/**
 * A fresh database migrated only up to the migration tagged `lastTag` (its `migrate()` then applies
 * the rest, as an upgrade does): for tests of a migration over the data of the schema before it.
 */
export async function databaseAtMigration(lastTag: string): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const journal = JSON.parse(await readFile(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((entry) => entry.tag === lastTag);
  if (upTo < 0) throw new Error(`no migration tagged ${lastTag}`);
  const folder = await mkdtemp(join(tmpdir(), 'tandem-migrations-'));
  await mkdir(join(folder, 'meta'));
  const entries = journal.entries.slice(0, upTo + 1);
  await writeFile(join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const entry of entries) await copyFile(join(migrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  const serverUrl = process.env.TEST_DATABASE_URL;
  const { database, drop } = serverUrl ? await freshPostgres(serverUrl, false) : { database: await openDatabase({ kind: 'pglite' }), drop: undefined };
  await (database.kind === 'pglite' ? migratePglite(database.db as never, { migrationsFolder: folder }) : migratePostgres(database.db as never, { migrationsFolder: folder }));
  await rm(folder, { recursive: true });
  return { database, drop: drop ?? (() => database.close()) };
}

async function freshPostgres(serverUrl: string, migrated = true, traced = false) {
  const name = `tandem_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 20, traced });
  if (migrated) await database.migrate();
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function migrationsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await readdir(migrationsFolder, { recursive: true })).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(await readFile(join(migrationsFolder, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function migratedSnapshot(): Promise<Blob> {
  const path = join(CACHE_DIR, `pglite-${await migrationsHash()}.tar.gz`);
  try {
    return new Blob([await readFile(path)]);
  } catch {
    const database = await openDatabase({ kind: 'pglite' });
    await database.migrate();
    const snapshot = await database.dump!();
    await database.close();
    await mkdir(CACHE_DIR, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, Buffer.from(await snapshot.arrayBuffer()));
    await rename(temporary, path);
    return snapshot;
  }
}
