import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';

const TABLES = [
  'programmes', 'people', 'relationships', 'goals', 'goal_metrics', 'metric_readings', 'milestones', 'tasks', 'sessions', 'reflections',
  'stage_history', 'outbox_events', 'audit_events', 'integration_clients', 'idempotency_keys', 'webhook_endpoints', 'calendar_feeds',
];

// One statement, so the fuzzers can afford it before and after every request.
const COUNTS = sql.raw(
  `select ${TABLES.map((table) => `(select count(*) from ${table})::int as ${table}`).join(', ')},
          (select coalesce(sum(version), 0) from relationships)::int as relationship_versions,
          (select coalesce(max(updated_at), 'epoch') from people)::text as people_updated,
          (select coalesce(max(updated_at), 'epoch') from goals)::text as goals_updated,
          (select count(done_at) from tasks)::int as tasks_done,
          (select count(revoked_at) from calendar_feeds)::int as calendar_feeds_revoked,
          (select count(*) from sessions where status = 'planned')::int as sessions_planned,
          (select count(done_at) from milestones)::int as milestones_done`,
);

/** Row counts of every domain table (and change marks), to prove a refused request wrote nothing. */
export async function rowCounts(database: DatabaseHandle): Promise<Record<string, number | string>> {
  const [row] = await database.rows<Record<string, number | string>>(COUNTS);
  return row ?? {};
}
