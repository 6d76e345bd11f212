import type { Sql } from '../database.ts';

export interface WaitProfile {
  samples: number;
  /** What the app's busy (not idle) connections were doing, by share of connection-samples: "active: Lock/transactionid", "idle in transaction: Client/ClientRead", … */
  states: { state: string; share: number }[];
}

/**
 * Samples pg_stat_activity for the app's connections (application_name 'tandem') every
 * `everyMs` while the load runs: where the database side of a request spends its time, e.g.
 * waiting on a row lock, on the WAL flush at commit, or on the app (idle in transaction).
 */
export function sampleWaits(sql: Sql, everyMs = 100) {
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const rows = await sql<{ key: string; n: number }[]>`
        select coalesce(state, '?') || coalesce(': ' || wait_event_type || '/' || wait_event, '') as key, count(*)::int as n
        from pg_stat_activity where application_name = 'tandem' and datname = current_database() and backend_type = 'client backend' and state <> 'idle'
        group by 1`.catch(() => []);
      for (const row of rows) counts.set(row.key, (counts.get(row.key) ?? 0) + row.n);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop(): Promise<WaitProfile> {
      stopped = true;
      await loop;
      const total = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
      const states = [...counts]
        .sort((a, b) => b[1] - a[1])
        .map(([state, n]) => ({ state, share: n / total }));
      return { samples, states };
    },
  };
}
