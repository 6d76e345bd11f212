import { EVENTS_CHANNEL } from '../../src/db/event-feed.ts';
import type { Sql } from '../database.ts';

const TICK_MS = 100;

/** Inserts `count` outbox events and announces each on the events channel, as recordEvent does, in one transaction. */
export async function commitEvents(sql: Sql, org: string, subjects: string[], count: number): Promise<void> {
  await sql`
    with e as (
      insert into outbox_events (org_id, type, subject_id, payload, created_at)
      select ${org}, 'relationship.stage_changed', s.id,
             jsonb_build_object('organisationId', ${org}::text, 'actor', 'bench', 'relationshipId', s.id, 'from', 'growth', 'to', 'negotiation'), now()
      from (select unnest(${subjects}::uuid[]) as id) s, generate_series(1, ${Math.ceil(count / subjects.length)}) g
      limit ${count}
      returning id, org_id, type, subject_id, payload)
    select count(pg_notify(${EVENTS_CHANNEL}, json_build_object('id', id, 'orgId', org_id, 'type', type, 'subjectId', subject_id, 'payload', payload)::text)) from e`;
}

/**
 * Commits events at a steady `perSecond`, a tenth of them every 100 ms on a fixed schedule, for
 * `seconds`: the fan-out's input at a known rate, whatever the write path could sustain.
 */
export async function produceEvents(sql: Sql, org: string, subjects: string[], perSecond: number, seconds: number): Promise<{ events: number; seconds: number }> {
  const perTick = Math.max(1, Math.round((perSecond * TICK_MS) / 1000));
  const started = performance.now();
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  let events = 0;
  for (let k = 0; k < ticks; k++) {
    const due = started + k * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await commitEvents(sql, org, subjects, perTick);
    events += perTick;
  }
  return { events, seconds: (performance.now() - started) / 1000 };
}
