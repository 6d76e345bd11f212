import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { makeTemplate, seedDataDir, templateDirs } from '../../scripts/pglite-template.mjs';
import { migrationsFolder } from '../../src/db/client.ts';

// A new data directory starts as a copy of a template migrated with exactly the migrations in
// drizzle/ (scripts/pglite-template.mjs); a changed migration folder gets a template of its own.
const scratch = mkdtempSync(join(tmpdir(), 'tandem-template-'));
t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
const cacheDir = `${scratch}/cache`;

async function appliedMigrations(dataDir: string): Promise<string[]> {
  const client = await PGlite.create({ dataDir });
  try {
    const tables = await client.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1");
    const applied = await client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return [`${applied.rows[0]!.n} migrations`, ...tables.rows.map((row) => row.name)];
  } finally {
    await client.close();
  }
}

const journalEntries = (folder: string) => (JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string; when: number }[] }).entries;

t.test('a new data directory is a copy of the migrated template; one with data is left alone', async (t) => {
  const templates = { cacheDir, migrationsFolder };
  t.ok(await makeTemplate(templates), 'made');
  t.notOk(await makeTemplate(templates), 'made once');
  const dataDir = `${scratch}/data`;
  t.ok(await seedDataDir(dataDir, templates));
  const [count, ...tables] = await appliedMigrations(dataDir);
  t.equal(count, `${journalEntries(migrationsFolder).length} migrations`, 'every migration of drizzle/ applied');
  t.ok(tables.includes('relationships'));

  const used = `${scratch}/used`;
  mkdirSync(used);
  writeFileSync(`${used}/keep`, '');
  t.notOk(await seedDataDir(used, templates));
  t.same(readdirSync(used), ['keep']);
});

t.test('changed migrations get a template of their own; the earlier one is removed', async (t) => {
  const folder = `${scratch}/drizzle`;
  cpSync(migrationsFolder, folder, { recursive: true });
  const before = templateDirs({ cacheDir, migrationsFolder: folder }).migrated;
  const entries = journalEntries(folder);
  const last = entries.at(-1)!;
  entries.push({ ...last, idx: entries.length, when: last.when + 1, tag: '9999_probe' } as (typeof entries)[number]);
  writeFileSync(`${folder}/meta/_journal.json`, JSON.stringify({ ...JSON.parse(readFileSync(`${folder}/meta/_journal.json`, 'utf8')), entries }));
  writeFileSync(`${folder}/9999_probe.sql`, 'CREATE TABLE "template_probe" ("id" integer);');
  const templates = { cacheDir, migrationsFolder: folder };
  t.not(templateDirs(templates).migrated, before, 'another template');

  const dataDir = `${scratch}/data-after`;
  t.ok(await seedDataDir(dataDir, templates));
  const [count, ...tables] = await appliedMigrations(dataDir);
  t.equal(count, `${entries.length} migrations`);
  t.ok(tables.includes('template_probe'), 'the new migration is in the copy');
  t.notOk(existsSync(templateDirs({ cacheDir, migrationsFolder }).migrated), 'the template of the earlier migrations is gone');
  t.ok(existsSync(`${templateDirs(templates).empty}/PG_VERSION`), 'the empty cluster is kept');
});
