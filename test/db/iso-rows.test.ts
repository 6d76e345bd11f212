import { asc, sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import fc from 'fast-check';
import t from 'tap';
import { compiled, compiledIsoRows } from '../../src/db/compiled.ts';
import { isoFromTimestampText, isoRowMapper } from '../../src/db/iso-rows.ts';
import { iso } from '../../src/domain/present.ts';
import { freshDatabase } from '../helpers/database.ts';

// Rows read for presenting only keep PostgreSQL's timestamp text and turn it into ISO without a
// Date. They must say exactly what drizzle's Dates written by iso() say, whatever the fraction.
const { database, drop } = await freshDatabase();
t.teardown(drop);
const { db } = database;

const probe = pgTable('iso_rows_probe', {
  id: integer('id').primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  maybeAt: timestamp('maybe_at', { withTimezone: true, mode: 'date' }),
  label: text('label'),
  data: jsonb('data').$type<{ n: number }>(),
  big: bigint('big', { mode: 'number' }),
});
await db.execute(sql`create table iso_rows_probe (id int primary key, at timestamptz not null, maybe_at timestamptz, label text, data jsonb, big bigint)`);

const asDates = compiled((handle) => handle.select().from(probe).orderBy(asc(probe.id)));
const asIso = compiledIsoRows((handle) => handle.select().from(probe).orderBy(asc(probe.id)));

// Microseconds since 1000-01-01 up to 9999-12-31: every fraction length PostgreSQL writes (none, 1–6 digits).
const micros = fc.bigInt({ min: -30_610_224_000_000_000n, max: 253_402_300_799_999_999n });
const floorDiv = (value: bigint, by: bigint) => (value >= 0n ? value / by : (value - by + 1n) / by);
const dateOf = (value: bigint) => new Date(Number(floorDiv(value, 1000n)));
const textOf = (value: bigint) => {
  const date = dateOf(value);
  const fraction = String(Number(value - floorDiv(value, 1_000_000n) * 1_000_000n)).padStart(6, '0').replace(/0+$/, '');
  return `${iso(date).slice(0, 19)}${fraction ? `.${fraction}` : ''}+00`;
};

t.test('timestamp text in every fraction length reads as the ISO text of its Date', async (t) => {
  const rows = fc.sample(fc.uniqueArray(micros, { minLength: 40, maxLength: 40 }), { numRuns: 1, seed: 18 })[0]!;
  await db.execute(sql`delete from iso_rows_probe`);
  for (const [index, value] of rows.entries()) {
    const at = textOf(value);
    await db.execute(sql`insert into iso_rows_probe values (${index}, ${at}::timestamptz, ${index % 3 === 0 ? null : at}::timestamptz, ${`label ${index}`}, ${JSON.stringify({ n: index })}::jsonb, ${index * 1_000_000_007})`);
  }
  const viaDates = await asDates(db, {});
  const viaText = await asIso(db, {});
  t.equal(viaText.length, rows.length);
  t.same(
    viaText,
    viaDates.map((row) => ({ ...row, at: iso(row.at), maybeAt: row.maybeAt ? iso(row.maybeAt) : null })),
    'the same rows, timestamps as iso() writes the Dates, other columns mapped as drizzle maps them',
  );
  t.equal(typeof viaText[1]!.big, 'number', 'a bigint in number mode still goes through its own mapping');
  t.same(viaText[1]!.data, { n: 1 }, 'jsonb arrives as its value');
});

t.test('a session in another time zone still reads UTC ISO text', async (t) => {
  await db.execute(sql`delete from iso_rows_probe`);
  await db.execute(sql`insert into iso_rows_probe (id, at, maybe_at) values (1, '2026-11-30 05:57:30.123456+00', '2026-03-29 01:30:00+00')`);
  for (const zone of ['Asia/Kolkata', 'America/Sao_Paulo', 'Asia/Kathmandu']) {
    const [row] = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local time zone '${zone}'`));
      return asIso(tx as never, {});
    });
    t.same({ at: row!.at, maybeAt: row!.maybeAt }, { at: '2026-11-30T05:57:30.123Z', maybeAt: '2026-03-29T01:30:00.000Z' }, zone);
  }
});

t.test('PostgreSQL text forms, property: as a Date would read them', async (t) => {
  fc.assert(
    fc.property(micros, (value) => {
      const text = textOf(value);
      return isoFromTimestampText(text) === iso(dateOf(value));
    }),
    { numRuns: 2000 },
  );
  t.equal(isoFromTimestampText('2026-11-30 05:57:30+05:30'), '2026-11-30T00:27:30.000Z', 'an offset with minutes');
  t.equal(isoFromTimestampText('2026-11-30 05:57:30.5-03'), '2026-11-30T08:57:30.500Z', 'a negative offset');
});

t.test('only flat selects of timestamptz columns are mapped', async (t) => {
  t.throws(() => isoRowMapper([{ path: ['a', 'b'], field: probe.id }]), /flat selects/);
  t.throws(() => isoRowMapper([{ path: ['x'], field: probe }]), /flat selects/);
  const plain = pgTable('plain', { at: timestamp('at', { mode: 'date' }) });
  t.throws(() => isoRowMapper([{ path: ['at'], field: plain.at }]), /with time zone only/);
});
