import { readFile } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { checkDrizzleInternals, param } from '../../src/db/compiled.ts';
import { organisations, programmes, relationships } from '../../src/db/schema.ts';
import { freshDatabase } from '../helpers/database.ts';

// src/db/compiled.ts runs statements through drizzle-orm internals (0.45). drizzle-orm is pinned to
// one exact version; if an upgrade changes those internals, this fails with a message saying what moved.
const { database, drop } = await freshDatabase();
t.teardown(drop);
const { db } = database;
const session = (handle: unknown) => (handle as { session: unknown }).session;

t.test('drizzle-orm is pinned to one exact version, the one installed', async (t) => {
  const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  const installed = JSON.parse(await readFile(new URL('../../node_modules/drizzle-orm/package.json', import.meta.url), 'utf8'));
  t.match(manifest.dependencies['drizzle-orm'], /^\d+\.\d+\.\d+$/, 'an exact version, no range: an upgrade is a deliberate change');
  t.equal(installed.version, manifest.dependencies['drizzle-orm']);
});

t.test(`the internals compiled() uses are there, for a select with a join, an insert and an update (${database.kind})`, async (t) => {
  const statements = {
    select: db
      .select()
      .from(relationships)
      .leftJoin(programmes, eq(programmes.id, relationships.programmeId))
      .where(eq(relationships.orgId, param('org')))
      .prepare('internals_select'),
    insert: db.insert(organisations).values({ id: param('id'), name: param('name') }).prepare('internals_insert'),
    update: db.update(organisations).set({ name: param('name') }).where(eq(organisations.id, param('id'))).returning().prepare('internals_update'),
  };
  for (const [kind, prepared] of Object.entries(statements)) t.doesNotThrow(() => checkDrizzleInternals(prepared, session(db)), kind);
  t.ok('joinsNotNullableMap' in statements.select, 'a select carries its joins map');
  await db.transaction(async (tx) => t.doesNotThrow(() => checkDrizzleInternals(statements.select, session(tx)), 'a transaction has the same session'));
});

t.test('a drizzle-orm with other internals fails loudly, naming what changed', async (t) => {
  const prepared = db.select({ one: sql<number>`1` }).from(organisations).prepare('internals_probe') as unknown as Record<string, unknown>;
  const { queryString: _text, ...withoutText } = prepared;
  t.throws(() => checkDrizzleInternals(withoutText, session(db)), /drizzle-orm 0\.45.*no queryString/);
  t.throws(() => checkDrizzleInternals(prepared, { prepareQuery: (query: unknown) => query }), /prepareQuery takes 1 arguments/);
  t.throws(() => checkDrizzleInternals(prepared, {}), /no prepareQuery/);
  t.throws(() => checkDrizzleInternals({ ...prepared, params: undefined }, session(db)), /no params array/);
});
