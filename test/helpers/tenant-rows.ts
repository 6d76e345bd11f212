import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle } from '../../src/db/client.ts';

// The tenant tables as the database itself describes them (every table with an org_id column), and
// rows for any of them made from the catalogue alone: a table added later is covered the day it lands.

export interface Column {
  name: string;
  type: string;
  notNull: boolean;
  hasDefault: boolean;
}
export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  parent: string;
  parentColumns: string[];
}
export interface Catalogue {
  tables: string[];
  columns: Map<string, Column[]>;
  primaryKeys: Map<string, string[]>;
  /** Foreign keys whose table and parent are both tenant tables. */
  foreignKeys: ForeignKey[];
}

export async function tenantCatalogue(database: DatabaseHandle): Promise<Catalogue> {
  const tables = (
    await database.rows<{ table: string }>(sql`
      select c.table_name as "table" from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and c.column_name = 'org_id' order by 1`)
  ).map((row) => row.table);
  const columnRows = await database.rows<{ table: string; name: string; type: string; not_null: boolean; has_default: boolean }>(sql`
    select c.relname as "table", a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
           (a.atthasdef or a.attidentity <> '') as has_default
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped order by c.relname, a.attnum`);
  const columns = new Map<string, Column[]>();
  for (const row of columnRows) {
    if (!tables.includes(row.table)) continue;
    const list = columns.get(row.table) ?? [];
    list.push({ name: row.name, type: row.type, notNull: row.not_null, hasDefault: row.has_default });
    columns.set(row.table, list);
  }
  const constraintRows = await database.rows<{ name: string; kind: string; table: string; columns: string[]; parent: string | null; parent_columns: string[] | null }>(sql`
    select con.conname as name, con.contype::text as kind, c.relname as "table",
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as columns,
      p.relname as parent,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as parent_columns
    from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_class p on p.oid = con.confrelid
    where n.nspname = 'public' and con.contype in ('p', 'f') order by c.relname, con.conname`);
  const primaryKeys = new Map<string, string[]>();
  const foreignKeys: ForeignKey[] = [];
  for (const row of constraintRows) {
    if (!tables.includes(row.table)) continue;
    if (row.kind === 'p') primaryKeys.set(row.table, row.columns);
    else if (row.parent && tables.includes(row.parent)) {
      foreignKeys.push({ name: row.name, table: row.table, columns: row.columns, parent: row.parent, parentColumns: row.parent_columns ?? [] });
    }
  }
  return { tables, columns, primaryKeys, foreignKeys };
}

/** A value of the column's type that PostgreSQL accepts; unique where it could matter. */
function dummy(type: string): SQL {
  const unique = randomUUID();
  if (type === 'uuid') return sql`${unique}::uuid`;
  if (type === 'text' || type.startsWith('character varying')) return sql`${`x-${unique}`}::text`;
  if (['integer', 'bigint', 'smallint', 'double precision', 'real'].includes(type) || type.startsWith('numeric')) return sql.raw(`1::${type}`);
  if (type === 'boolean') return sql`false`;
  if (type === 'jsonb' || type === 'json') return sql.raw(`'{}'::${type}`);
  if (type.startsWith('timestamp')) return sql`now()`;
  if (type === 'date') return sql`current_date`;
  if (type.endsWith('[]')) return sql.raw(`'{}'::${type}`);
  throw new Error(`tenant-rows: no dummy value for type ${type}; add one`);
}

/**
 * Inserts a row of `table` in `org`: every NOT NULL column without a default gets a value, every
 * foreign key (nullable or not) in `references` is pointed where told, every other required one at a
 * fresh parent row of the same organisation. Returns the new row.
 */
export async function insertTenantRow(
  database: DatabaseHandle,
  catalogue: Catalogue,
  table: string,
  org: string,
  references: Map<string, Record<string, unknown>> = new Map(),
): Promise<Record<string, unknown>> {
  const values = new Map<string, SQL>([['org_id', sql`${org}`]]);
  const columns = catalogue.columns.get(table)!;
  const typeOf = (name: string) => columns.find((column) => column.name === name)!.type;
  for (const fk of catalogue.foreignKeys.filter((fk) => fk.table === table)) {
    let parentRow = references.get(fk.name);
    const required = fk.columns.some((name) => columns.find((column) => column.name === name)!.notNull && name !== 'org_id');
    if (!parentRow && required && fk.parent !== table) parentRow = await insertTenantRow(database, catalogue, fk.parent, org);
    if (!parentRow) continue;
    fk.columns.forEach((name, i) => {
      if (name !== 'org_id') values.set(name, sql`${parentRow[fk.parentColumns[i]!]}::${sql.raw(typeOf(name))}`);
    });
  }
  for (const column of columns) {
    if (!values.has(column.name) && column.notNull && !column.hasDefault) values.set(column.name, dummy(column.type));
  }
  const names = [...values.keys()];
  const [row] = await database.rows<Record<string, unknown>>(
    sql`insert into ${sql.identifier(table)} (${sql.join(names.map((name) => sql.identifier(name)), sql`, `)})
        values (${sql.join(names.map((name) => values.get(name)!), sql`, `)})
        returning *`,
  );
  return row!;
}

/** The SQLSTATE and constraint of a database error, whichever driver raised it. */
export function databaseError(error: unknown): { code?: string; constraint?: string } {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, constraint, constraint_name } = current as { code?: string; constraint?: string; constraint_name?: string };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code, constraint: constraint ?? constraint_name };
    current = (current as { cause?: unknown }).cause;
  }
  return {};
}
