import postgres from 'postgres';
import { openDatabase } from '../src/db/client.ts';

/** A raw postgres.js client, the one driver the bench uses besides the app's own. */
export type Sql = postgres.Sql;

export const benchDatabaseName = (size: number) => `tandem_bench_${size}`;

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function connect(url: string, max = 1): Sql {
  return postgres(url, { max, onnotice: () => {}, connection: { application_name: 'tandem-bench' } });
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const admin = connect(serverUrl);
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

/** Drops and creates the bench database through the server URL, then migrates it with the app's own migrator. */
export async function recreateDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = connect(serverUrl);
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(serverUrl, name);
  await migrate(url);
  return url;
}

/** Applies the app's migrations with its own migrator (a reused database gets the ones added since it was seeded). */
export async function migrate(url: string): Promise<void> {
  const database = await openDatabase({ kind: 'postgres', url });
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = connect(serverUrl);
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
