import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { migrationsFolder, openDatabase, type DatabaseHandle } from '../../src/db/client.ts';

const CACHE_DIR = join(migrationsFolder, '..', 'node_modules', '.cache', 'tandem-test');

/**
 * A fresh, migrated database for one test file: PGlite in memory by default (loaded from a
 * migrated snapshot, so each file pays ~0.5 s, not a full initdb); with TEST_DATABASE_URL, a
 * uniquely named PostgreSQL database, dropped at the end.
 */
export async function freshDatabase(): Promise<{ database: DatabaseHandle; drop: () => Promise<void>; url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) return freshPostgres(serverUrl);
  const database = await openDatabase({ kind: 'pglite', loadDataDir: await migratedSnapshot() });
  return { database, drop: () => database.close() };
}

async function freshPostgres(serverUrl: string) {
  const name = `tandem_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 20 });
  await database.migrate();
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
