import t from 'tap';
import { freshDatabase } from '../helpers/database.ts';
import { uniqueOrg } from '../helpers/app.ts';
import { databaseError, insertTenantRow, tenantCatalogue } from '../helpers/tenant-rows.ts';

// Tenancy held by the database, not only by the queries: every table with an org_id column (found
// in the catalogue, so a table added later is held to it too) is keyed by (org_id, …), and a row
// that points into another organisation is refused by PostgreSQL itself, for every foreign key.
const { database, drop } = await freshDatabase();
t.teardown(drop);
const catalogue = await tenantCatalogue(database);

t.ok(catalogue.tables.length >= 15, `the tenant tables are found (${catalogue.tables.length})`);
t.ok(catalogue.foreignKeys.length >= 15, `their foreign keys are found (${catalogue.foreignKeys.length})`);

t.test("every tenant table's primary key starts with org_id", async (t) => {
  for (const table of catalogue.tables) {
    t.equal(catalogue.primaryKeys.get(table)?.[0], 'org_id', `${table}: primary key (${catalogue.primaryKeys.get(table)?.join(', ') ?? 'none'})`);
  }
});

t.test('every foreign key between tenant tables carries org_id to org_id', async (t) => {
  for (const fk of catalogue.foreignKeys) {
    const at = fk.columns.indexOf('org_id');
    t.ok(at >= 0 && fk.parentColumns[at] === 'org_id', `${fk.name}: (${fk.columns.join(', ')}) → ${fk.parent} (${fk.parentColumns.join(', ')})`);
  }
});

t.test('a reference into another organisation is refused by the database, for every foreign key', async (t) => {
  const home = uniqueOrg('home');
  const stranger = uniqueOrg('stranger');
  for (const fk of catalogue.foreignKeys) {
    // The same row pointing at a parent of its own organisation is accepted: the refusal below is about the organisation alone.
    const own = await insertTenantRow(database, catalogue, fk.parent, home);
    await t.resolves(insertTenantRow(database, catalogue, fk.table, home, new Map([[fk.name, own]])), `${fk.name}: same organisation accepted`);
    const foreign = await insertTenantRow(database, catalogue, fk.parent, stranger);
    const refused = await insertTenantRow(database, catalogue, fk.table, home, new Map([[fk.name, foreign]])).then(
      () => ({}),
      (error: unknown) => databaseError(error),
    );
    t.same(refused, { code: '23503', constraint: fk.name }, `${fk.name}: ${fk.table} → ${fk.parent} of another organisation refused`);
  }
});
