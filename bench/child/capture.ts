import type { Database } from '../../src/db/client.ts';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
  /** Milliseconds since the capture started. */
  at: number;
}

interface DrizzleLogger {
  logQuery(query: string, params: unknown[]): void;
}

/**
 * Records every statement drizzle sends, without touching src: the logger object openDatabase
 * gives drizzle is shared by the database and every transaction's session, so wrapping its
 * logQuery (and calling the original, which counts statements) sees them all.
 */
export function statementRecorder(db: Database) {
  const logger = (db as unknown as { session?: { logger?: DrizzleLogger } }).session?.logger;
  if (!logger) throw new Error('cannot find drizzle logger on the database handle; the statement capture needs one');
  const original = logger.logQuery.bind(logger);
  let recording: CapturedStatement[] | null = null;
  let started = 0;
  logger.logQuery = (query, params) => {
    if (recording) recording.push({ sql: query, params: params.map(plain), at: performance.now() - started });
    original(query, params);
  };
  return {
    start() {
      recording = [];
      started = performance.now();
    },
    stop(): CapturedStatement[] {
      const done = recording ?? [];
      recording = null;
      return done;
    },
  };
}

// Params cross the IPC channel as JSON: dates become ISO strings, as drizzle sends them anyway.
const plain = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);
