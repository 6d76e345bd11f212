import type { CeilingDb } from '../ceilings/ceiling-db.ts';
import type { Sql } from '../database.ts';
import type { NextRequest } from '../measure/http-load.ts';

/** What every scenario may use: the seeded database, the app's address and a token for it. */
export interface BenchContext {
  size: number;
  /** A bench-side connection to the bench database, for setup queries (not measured). */
  sql: Sql;
  org: string;
  appUrl: string;
  /** Authorization (an admin of the bench organisation) and content-type. */
  headers: Record<string, string>;
  connections: number;
  /** A random sample of relationship ids, and the programme holding a quarter of them. */
  relationshipIds: string[];
  bigProgrammeId: string;
}

export type ScenarioGroup = 'read' | 'list' | 'write' | 'bulk';

export interface Scenario {
  name: string;
  title: string;
  group: ScenarioGroup;
  /** The target as a share of the database ceiling, when it sets one. */
  target?: number;
  /** Issue 18's target as a share of the combined ceiling, 1 / (1/framework + 1/database). */
  combinedTarget?: number;
  /** Slow requests need a longer window than --duration to complete enough of them. */
  minSeconds?: number;
  /**
   * A fixed request rate, well under capacity, at which latency is measured again for the
   * 10k vs 1M comparison: at full speed, latency is mostly queueing and follows the machine's load.
   */
  latencyRate?: number;
  /**
   * Requests captured for the statement check (default 1), each from fresh requests() and a fresh
   * ceiling, so they act on the same object one after another: a transition there and back
   * covers both directions, with and without guards.
   */
  samples?: number;
  /** A reason to skip (e.g. the transport is not built yet), or null to run. */
  skipReason?(ctx: BenchContext): Promise<string | null>;
  prepare(ctx: BenchContext): Promise<PreparedScenario>;
}

export interface PreparedScenario {
  /** The HTTP requests, made fresh before each HTTP run (state such as stages is read again). */
  requests(): Promise<NextRequest>;
  /** One request's statements, as the database ceiling runs them. */
  ceiling(db: CeilingDb): () => Promise<void>;
}

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
