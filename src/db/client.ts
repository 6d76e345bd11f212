import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { fromRoot } from '../root.ts';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema.ts';
import { endStatementSpan, startStatementSpan, tracedPglite } from './statement-spans.ts';

export type Schema = typeof schema;
/** A database or a transaction: every domain function takes one of these. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseOptions = (
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob | File }
  | { kind: 'postgres'; url: string; maxConnections?: number; timeouts?: DatabaseTimeouts }
) & {
  /** A trace span around every statement (OpenTelemetry, observability/tracing.ts); off costs nothing. */
  traced?: boolean;
};

/**
 * Seconds, 0 for no limit (config.ts): opening a connection; the server's statement_timeout and
 * idle_in_transaction_session_timeout; the driver's `query` backstop for a query waiting and running
 * when the network goes silent (the server's own limit cannot fire then). Migrations run without
 * the statement limit: an index on a large table may take longer than any request should.
 */
export interface DatabaseTimeouts {
  connect: number;
  statement: number;
  query: number;
  idleInTransaction: number;
}

export interface DatabaseHandle {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Database;
  /** Raw SQL with the driver's result shape hidden: always an array of rows. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  migrate(): Promise<void>;
  /** True when every migration in drizzle/ has been applied. */
  migrationsCurrent(): Promise<boolean>;
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Counts statements sent, for tests that guard against a query per row. */
  readonly statements: { count: number };
  /**
   * Only on PostgreSQL: the pool's size and the work holding or waiting for a connection now (open
   * transactions plus statements outside one), counted here because postgres.js does not tell.
   */
  readonly pool?: { max: number; busy(): number };
  /** Only on PGlite: a tarball of the data directory (test snapshots). */
  dump?(): Promise<Blob>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(fromRoot('drizzle'));

function journalSize(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const statements = { count: 0 };
  const logger = { logQuery: () => void statements.count++ };

  const migrationsCurrent = async (rows: DatabaseHandle['rows']) => {
    try {
      const applied = await rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      return (applied[0]?.n ?? 0) >= journalSize();
    } catch {
      return false;
    }
  };

  if (options.kind === 'pglite') {
    let unlock = async () => {};
    if (options.dataDir && !options.dataDir.startsWith('memory://')) {
      await mkdir(options.dataDir, { recursive: true });
      unlock = await lockDataDir(options.dataDir);
    }
    const client = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    }).catch(async (error: unknown) => {
      await unlock();
      throw error;
    });
    const db = drizzlePglite({ client: options.traced ? tracedPglite(client) : client, schema, logger }) as unknown as Database;
    const rows: DatabaseHandle['rows'] = async <T extends Record<string, unknown>>(query: SQL) => {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    };
    return {
      kind: 'pglite',
      db,
      rows,
      statements,
      migrate: () => migratePglite(db as never, { migrationsFolder }),
      migrationsCurrent: () => migrationsCurrent(rows),
      listen: async (channel, onMessage) => {
        const unlisten = await client.listen(channel, onMessage);
        return () => unlisten();
      },
      notify: async (channel, payload) => {
        await client.query('select pg_notify($1, $2)', [channel, payload]);
      },
      dump: () => client.dumpDataDir('gzip'),
      close: async () => {
        await client.close();
        await unlock();
      },
    };
  }

  const max = options.maxConnections ?? 10;
  const busy = { count: 0 };
  const limits = options.timeouts;
  const client = postgres(options.url, {
    max,
    onnotice: () => {},
    // A cancel that goes unanswered as long as a connection may take to open closes the connection.
    ...(limits ? { connect_timeout: limits.connect || null, query_timeout: limits.query, cancel_timeout: limits.connect } : {}),
    // UTC sessions: timestamps come back as "…+00" text, which db/iso-rows.ts turns into ISO without a Date.
    connection: {
      application_name: 'tandem',
      TimeZone: 'UTC',
      ...(limits ? { statement_timeout: limits.statement * 1000, idle_in_transaction_session_timeout: limits.idleInTransaction * 1000 } : {}),
    },
  });
  const db = drizzlePostgres({ client: preparing(client, { busy, traced: options.traced === true }), schema, logger }) as unknown as Database;
  const rows: DatabaseHandle['rows'] = async <T extends Record<string, unknown>>(query: SQL) =>
    (await db.execute(query)) as unknown as T[];
  return {
    kind: 'postgres',
    db,
    rows,
    statements,
    pool: { max, busy: () => busy.count },
    migrate: async () => {
      if (!limits) return migratePostgres(db as never, { migrationsFolder });
      // One connection without the statement limit (and without the query backstop) for the migrations.
      const migrator = postgres(options.url, { max: 1, onnotice: () => {}, connect_timeout: limits.connect || null, connection: { application_name: 'tandem-migrate', TimeZone: 'UTC' } });
      try {
        await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder });
      } finally {
        await migrator.end({ timeout: 5 });
      }
    },
    migrationsCurrent: () => migrationsCurrent(rows),
    listen: async (channel, onMessage) => {
      const listener = await client.listen(channel, onMessage);
      return () => listener.unlisten();
    },
    notify: async (channel, payload) => {
      await client.notify(channel, payload);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * drizzle asks postgres.js for unnamed statements unless a query is given a name, and postgres.js
 * then sends Parse/Describe, waits for the parameter types and only then Bind/Execute: two round
 * trips and a fresh plan per statement. Through this proxy every statement with parameters is a
 * server-side prepared statement, cached per connection, in transactions and savepoints too
 * (bench/FINDINGS.md §2). Not for transaction-mode PgBouncer, which cannot keep them.
 *
 * On the pool itself (not inside a transaction) it also counts the work holding or waiting for a
 * connection: a transaction from begin to its end, a statement until it settles (/metrics).
 */
function preparing<T extends postgres.Sql | postgres.TransactionSql>(client: T, watch: { busy?: { count: number }; traced: boolean }): T {
  const { busy, traced } = watch;
  const settle = () => void (busy && busy.count--);
  const inside = { traced };
  return new Proxy(client, {
    get(target, key, receiver) {
      if (key === 'unsafe') {
        return (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
          const pending = target.unsafe(query, params, { ...options, prepare: true });
          if (!busy && !traced) return pending;
          // postgres.js queries are lazy thenables (drizzle may call .values() before awaiting):
          // the count (and the statement's span) starts when the query is awaited and ends when it settles.
          const then = pending.then.bind(pending);
          return Object.assign(pending, {
            then: (resolve?: (value: unknown) => unknown, reject?: (reason: unknown) => unknown) => {
              if (busy) busy.count++;
              const span = traced ? startStatementSpan(query) : undefined;
              return then(
                (value) => (settle(), span && endStatementSpan(span), resolve ? resolve(value) : value),
                (reason: unknown) => {
                  settle();
                  if (span) endStatementSpan(span, reason);
                  if (reject) return reject(reason);
                  throw reason;
                },
              );
            },
          });
        };
      }
      if (key === 'begin' || key === 'savepoint') {
        const open = Reflect.get(target, key, receiver) as (...args: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          if (!busy || key === 'savepoint') return open.call(target, ...args, (tx: postgres.TransactionSql) => work(preparing(tx, inside)));
          busy.count++;
          return open.call(target, ...args, (tx: postgres.TransactionSql) => work(preparing(tx, inside))).finally(settle);
        };
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

/** Raw SQL on a database or transaction, rows only: postgres.js returns an array, PGlite `{ rows }`. */
export async function selectRows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
