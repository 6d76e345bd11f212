import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from '../db/client.ts';
import type { Role } from '../vocabulary.ts';

/** Who is calling: the verified claims of a token. */
export interface Actor {
  sub: string;
  org: string;
  roles: Role[];
  /** Set for integration clients, recorded in history and audit. */
  clientId?: string;
  /** An integration client's granted scopes; absent means the whole integration role. */
  scopes?: string[];
}

export type Clock = () => Date;

/** Everything a use case needs: the database (or the transaction it runs in), the caller, the time. */
export interface Ctx {
  db: Database;
  actor: Actor;
  clock: Clock;
}

export const systemClock: Clock = () => new Date();

/** Runs `work` in one transaction; nested calls reuse the outer one. */
export async function withTransaction<T>(ctx: Ctx, work: (tx: Ctx) => Promise<T>): Promise<T> {
  if (isTransaction(ctx.db)) return work(ctx);
  return ctx.db.transaction((tx) => work({ ...ctx, db: tx as unknown as Database }));
}

// A drizzle transaction is a database with rollback(); PGlite hangs if the outer handle is
// used inside a transaction, so nested use cases must run on the transaction they are given.
function isTransaction(db: Database): boolean {
  return 'rollback' in db;
}

/**
 * The transaction of an outer unit of work (an idempotent request: its effect and its stored
 * response commit together). Use cases bound by bindUseCases run on it while it is set.
 */
export const ambientTransaction = new AsyncLocalStorage<Database>();
