import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';

const TABLES = ['programmes', 'people', 'relationships', 'goals', 'goal_metrics', 'milestones', 'tasks', 'sessions', 'reflections', 'stage_history', 'outbox_events', 'audit_events', 'integration_clients', 'idempotency_keys'];

/** Row counts of every domain table, to prove a refused request wrote nothing. */
export async function rowCounts(database: DatabaseHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await database.rows<{ n: number }>(sql.raw(`select count(*)::int as n from ${table}`));
    counts[table] = row?.n ?? -1;
  }
  const [version] = await database.rows<{ v: number }>(sql`select coalesce(sum(version), 0)::int as v from relationships`);
  counts.relationshipVersions = version?.v ?? -1;
  return counts;
}
