import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import t from 'tap';
import { migrationsFolder, type DatabaseHandle } from '../../src/db/client.ts';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { databaseAtMigration } from '../helpers/database.ts';
import { client, seedAdminWorld } from '../helpers/fixtures.ts';
import { insertTenantRow, tenantCatalogue } from '../helpers/tenant-rows.ts';

// The migration of tenancy in the keys over a database that holds data: the rows of two seeded
// organisations, written under the schema before it, all survive the swap of keys unchanged.
const { entries } = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
const BEFORE = entries[entries.findIndex((entry) => entry.tag.endsWith('_tenant_keys')) - 1]!.tag;

t.test('rows of two organisations written under the old schema survive the upgrade unchanged', async (t) => {
  const { app, database: source, auth } = await buildTestApp(t);
  const orgs = [uniqueOrg('upgrade-a'), uniqueOrg('upgrade-b')];
  const catalogue = await tenantCatalogue(source);
  for (const org of orgs) {
    await seedAdminWorld(client(app, auth({ org })), source);
    // Tables the world leaves empty (deliveries, attempts, readings, jobs…) get a row each, so every table carries data over.
    for (const table of catalogue.tables) {
      const [row] = await source.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where org_id = ${org}`);
      if (!row!.n) await insertTenantRow(source, catalogue, table, org);
    }
  }

  const { database: upgraded, drop } = await databaseAtMigration(BEFORE);
  t.teardown(drop);

  /** Table → its columns at the old schema (tables added after it are left out). */
  async function oldColumns(database: DatabaseHandle): Promise<Map<string, string[]>> {
    const rows = await database.rows<{ table: string; column: string }>(sql`
      select table_name as "table", column_name as "column" from information_schema.columns
      where table_schema = 'public' and table_name in (select table_name from information_schema.columns where table_schema = 'public' and column_name = 'org_id')
      order by table_name, ordinal_position`);
    const map = new Map<string, string[]>();
    for (const row of rows) map.set(row.table, [...(map.get(row.table) ?? []), row.column]);
    return map;
  }
  const columnsBefore = await oldColumns(upgraded);

  /** Each table's rows of the two organisations, as text over the old schema's columns, in key order. */
  async function fingerprint(database: DatabaseHandle, table: string): Promise<string[]> {
    const columns = columnsBefore.get(table)!;
    const rows = await database.rows<{ row: string }>(sql`
      select json_build_array(${sql.join(columns.map((c) => sql.identifier(c)), sql`, `)})::text as row
      from ${sql.identifier(table)} where org_id in (${sql.join(orgs.map((o) => sql`${o}`), sql`, `)})
      order by 1`);
    return rows.map((r) => r.row);
  }

  // Copy the rows into the old schema, parents first (its foreign keys are on id alone).
  const parentsOf = (table: string) => catalogue.foreignKeys.filter((fk) => fk.table === table && fk.parent !== table).map((fk) => fk.parent);
  const order: string[] = [];
  const pending = catalogue.tables.filter((table) => columnsBefore.has(table));
  while (pending.length) {
    const ready = pending.findIndex((table) => parentsOf(table).every((parent) => order.includes(parent) || !columnsBefore.has(parent)));
    order.push(...pending.splice(ready, 1));
  }
  const expected = new Map<string, string[]>();
  for (const table of order) {
    const rows = await source.rows<Record<string, unknown>>(sql`select * from ${sql.identifier(table)} where org_id in (${sql.join(orgs.map((o) => sql`${o}`), sql`, `)})`);
    const referencesSelf = catalogue.foreignKeys.some((fk) => fk.table === table && fk.parent === table);
    // A table that references itself: rows without such a reference first (a referral points to an older relationship).
    rows.sort((a, b) => Number(referencesSelf && (a.referred_from_id ?? a.referred_to_id) != null) - Number(referencesSelf && (b.referred_from_id ?? b.referred_to_id) != null));
    await upgraded.rows(sql`insert into ${sql.identifier(table)} select * from json_populate_recordset(null::${sql.identifier(table)}, ${JSON.stringify(rows)}::json)`);
    expected.set(table, await fingerprint(source, table));
  }

  t.ok(order.length >= 15, `rows of ${order.length} tables written under ${BEFORE}`);
  await upgraded.migrate();
  t.ok(await upgraded.migrationsCurrent(), 'every later migration applied');

  const after = await tenantCatalogue(upgraded);
  for (const table of order) {
    t.equal(after.primaryKeys.get(table)?.[0], 'org_id', `${table}: keyed by (org_id, …) after the upgrade`);
    const rows = await fingerprint(upgraded, table);
    t.ok(rows.length > 0, `${table}: has rows to carry`);
    t.same(rows, expected.get(table), `${table}: all ${rows.length} rows survive unchanged`);
  }
});
