import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { compiled, compiledByShape } from '../../src/db/compiled.ts';
import { organisations } from '../../src/db/schema.ts';
import { freshDatabase } from '../helpers/database.ts';

// Compiled statements are built once and must then run on whichever handle they are given:
// inside a transaction they see (and roll back with) its own uncommitted work.
const { database, drop } = await freshDatabase();
t.teardown(drop);
const { db } = database;

const nameOf = compiled((handle) => handle.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, sql.placeholder('id'))));
const insertOrganisation = compiled((handle) => handle.insert(organisations).values({ id: sql.placeholder('id') as unknown as string, name: sql.placeholder('name') as unknown as string }));
const byShape = compiledByShape((handle, shape) =>
  handle
    .select({ id: organisations.id })
    .from(organisations)
    .where(shape === 'named' ? eq(organisations.name, sql.placeholder('name')) : undefined)
    .orderBy(organisations.id),
);

t.test('a compiled statement runs on the transaction it is given, not beside it', async (t) => {
  await insertOrganisation(db, { id: 'c-1', name: 'One' });
  t.same(await nameOf(db, { id: 'c-1' }), [{ name: 'One' }], 'built on first use, answers');
  t.same(await nameOf(db, { id: 'c-2' }), [], 'reused with other values');

  const seenInside = await db.transaction(async (tx) => {
    await insertOrganisation(tx, { id: 'c-2', name: 'Two' });
    return nameOf(tx, { id: 'c-2' });
  });
  t.same(seenInside, [{ name: 'Two' }], 'the transaction sees its own insert through the reused statement');

  await t.rejects(
    db.transaction(async (tx) => {
      await insertOrganisation(tx, { id: 'c-3', name: 'Three' });
      throw new Error('roll back');
    }),
  );
  t.same(await nameOf(db, { id: 'c-3' }), [], 'a compiled insert rolls back with its transaction');
});

t.test('each shape is its own statement', async (t) => {
  t.same(await byShape(db, 'named', { name: 'One' }), [{ id: 'c-1' }]);
  t.same((await byShape(db, 'all', {})).map((row) => row.id), ['c-1', 'c-2']);
  t.same(await byShape(db, 'named', { name: 'Two' }), [{ id: 'c-2' }], 'the first shape again, other values');
});
