import type { Sql } from './database.ts';
import { SEEDED_TABLES } from './seed-sql.ts';

/**
 * Reads every seeded table and index once (pg_prewarm's 'read' mode: into the OS page cache), so
 * whichever run of a scenario comes first does not pay for cold pages the next ones get warm.
 * Returns the seconds it took, or null when pg_prewarm is not available.
 */
export async function prewarm(sql: Sql): Promise<number | null> {
  const started = performance.now();
  try {
    await sql`create extension if not exists pg_prewarm`;
  } catch {
    return null;
  }
  const relations = await sql<{ name: string }[]>`
    select c.oid::regclass::text as name from pg_class c
    where c.relkind in ('r', 'i') and c.relnamespace = 'public'::regnamespace
      and (c.relname = any(${SEEDED_TABLES}) or c.oid in (select indexrelid from pg_index where indrelid::regclass::text = any(${SEEDED_TABLES})))`;
  for (const { name } of relations) await sql`select pg_prewarm(${name}::regclass, 'read')`;
  return (performance.now() - started) / 1000;
}
