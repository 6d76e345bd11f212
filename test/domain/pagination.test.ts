import fc from 'fast-check';
import t from 'tap';
import { DomainError } from '../../src/domain/errors.ts';
import { cursorCodec, idCursor, readPage, type PageKey } from '../../src/domain/pagination.ts';

// The one paging helper behind every list, paging here by a sequence number rather than an id (as an
// event log does): each row once, in order, however rows arrive between pages.
type Row = { seq: number };
const seqCursor = cursorCodec<number>('s1:', { format: String, parse: (text) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined) });
const bySeq: PageKey<Row, number> = { column: undefined as never, codec: seqCursor, of: (row) => row.seq };

/** An in-memory table ordered by seq: what a list's select reads. */
function table(seqs: number[]) {
  const rows = seqs.map((seq) => ({ seq }));
  return {
    insert: (seq: number) => rows.push({ seq }),
    rows: async (after: number | undefined, take: number) =>
      rows
        .filter((row) => after === undefined || row.seq > after)
        .sort((a, b) => a.seq - b.seq)
        .slice(0, take),
  };
}

t.test('paging by a non-id key returns every row once, in key order, and meets rows added while paging', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 5 }), async (seqs, limit, added) => {
      const store = table(seqs);
      const seen: number[] = [];
      let cursor: string | undefined;
      let top = Math.max(0, ...seqs);
      for (let pages = 0; ; pages++) {
        if (pages > 100) throw new Error('paging does not end');
        const page = await readPage({ query: { limit, ...(cursor ? { cursor } : {}) }, key: bySeq, rows: store.rows });
        if (page.rows.length > limit) throw new Error('a page larger than its limit');
        seen.push(...page.rows.map((row) => row.seq));
        // New rows take keys above every key so far (a sequence, a UUIDv7), so a reader meets them.
        if (pages === 0) for (let i = 0; i < added; i++) store.insert(++top);
        if (page.rows.length) t.equal(page.endCursor, seqCursor.encode(page.rows.at(-1)!.seq));
        else t.equal(page.endCursor, cursor ?? null, 'an empty page resumes where it was asked from');
        if (!page.nextCursor) break;
        t.equal(page.nextCursor, page.endCursor, 'a full page continues after its last row');
        cursor = page.nextCursor;
      }
      const expected = [...seqs].sort((a, b) => a - b);
      const firstPageFull = seqs.length > limit;
      if (firstPageFull) for (let i = 1; i <= added; i++) expected.push(Math.max(0, ...seqs) + i);
      t.same(seen, expected);
    }),
    { numRuns: 60 },
  );
});

t.test('a cursor the list did not issue is the caller’s error, named after the query parameter', async (t) => {
  const store = table([1, 2, 3]);
  const refused = async (cursor: string) => {
    const error = await readPage({ query: { limit: 2, cursor }, key: bySeq, rows: store.rows }).then(
      () => null,
      (caught: unknown) => caught,
    );
    t.ok(error instanceof DomainError && error.code === 'BAD_USER_INPUT', `refuses ${JSON.stringify(cursor)}`);
    t.same((error as DomainError).details, { errors: [{ path: 'query.cursor', message: 'is not a valid cursor' }] });
  };
  await refused('not-a-cursor');
  await refused(idCursor.encode('01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10'));
  await refused(Buffer.from('s1:12x').toString('base64url'));
  await refused('');
  t.throws(() => idCursor.decode(seqCursor.encode(3)), 'and an id list refuses a sequence cursor');
  t.equal(idCursor.decode(idCursor.encode('01938F5E-7B7A-7C3E-9A4B-2F1D8E6C5A10')), '01938F5E-7B7A-7C3E-9A4B-2F1D8E6C5A10', 'ids read in either case');
});
