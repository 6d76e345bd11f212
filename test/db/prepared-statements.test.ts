import { eq, sql } from 'drizzle-orm';
import t from 'tap';
import { openDatabase } from '../../src/db/client.ts';
import { organisations } from '../../src/db/schema.ts';
import { freshDatabase } from '../helpers/database.ts';

// On PostgreSQL every drizzle statement with parameters is a server-side prepared statement
// (one round trip instead of two, planned once per connection): bench/FINDINGS.md §2.
const { database, drop, url } = await freshDatabase();
t.teardown(drop);

t.test('statements are prepared on the connection, inside transactions and savepoints too', { skip: url ? false : 'PostgreSQL only (TEST_DATABASE_URL)' }, async (t) => {
  // One connection, so pg_prepared_statements shows what this handle's statements left behind.
  const single = await openDatabase({ kind: 'postgres', url: url!, maxConnections: 1 });
  t.teardown(() => single.close());
  const prepared = async () => (await single.rows<{ statement: string }>(sql`select statement from pg_prepared_statements`)).map((row) => row.statement);

  await single.db.insert(organisations).values({ id: 'org-a', name: 'A' });
  t.ok((await prepared()).some((statement) => /insert into "organisations"/.test(statement)), 'a plain insert is prepared');

  const names = await single.db.transaction(async (tx) => {
    await tx.insert(organisations).values({ id: 'org-b', name: 'B' });
    return tx.transaction(async (inner) => inner.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, 'org-b')));
  });
  t.same(names, [{ name: 'B' }], 'a read in a savepoint sees the transaction’s own write');
  t.ok((await prepared()).some((statement) => /select "name" from "organisations" where "organisations"."id" = \$1/.test(statement)), 'the savepoint’s select is prepared');

  await t.rejects(
    single.db.transaction(async (tx) => {
      await tx.insert(organisations).values({ id: 'org-c', name: 'C' });
      throw new Error('roll back');
    }),
    /roll back/,
  );
  const again = await single.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, 'org-c'));
  t.same(again, [], 'a failed transaction still rolls back with prepared statements');
  const first = await single.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.id, 'org-a'));
  t.same(first, [{ id: 'org-a' }], 'the cached statement answers with the new parameter');
});

t.test('PGlite still answers every statement', async (t) => {
  await database.db.insert(organisations).values({ id: 'org-p', name: 'P' }).onConflictDoNothing();
  t.same(await database.db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, 'org-p')), [{ name: 'P' }]);
});
