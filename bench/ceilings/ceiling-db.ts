import type postgres from 'postgres';
import type { Statement } from './statements.ts';

type Client = postgres.Sql | postgres.TransactionSql;
type Row = Record<string, unknown>;

/**
 * The database ceiling's connection: statements go straight through postgres.js, server-side
 * prepared (postgres.js's own default for its queries) or not (what drizzle asks for), and their
 * texts can be traced to check they are the app's.
 */
export class CeilingDb {
  trace: string[] | null = null;

  constructor(
    readonly sql: postgres.Sql,
    readonly prepare: boolean,
  ) {}

  run<T extends Row = Row>(statement: Statement, values: Record<string, unknown>, client: Client = this.sql): Promise<T[]> {
    return this.raw<T>(statement.text, statement.bind(values), client);
  }

  raw<T extends Row = Row>(text: string, params: unknown[], client: Client = this.sql): Promise<T[]> {
    this.trace?.push(text);
    return client.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: this.prepare }) as unknown as Promise<T[]>;
  }

  begin<T>(work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
    return this.sql.begin(work) as Promise<T>;
  }

  /** Runs `work` once with tracing on and returns the statement texts it sent. */
  async traced(work: () => Promise<void>): Promise<string[]> {
    this.trace = [];
    try {
      await work();
      return this.trace;
    } finally {
      this.trace = null;
    }
  }
}
