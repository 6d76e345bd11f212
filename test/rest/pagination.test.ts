import fc from 'fast-check';
import t from 'tap';
import { buildTestApp, uniqueOrg } from '../helpers/app.ts';
import { client, personInput } from '../helpers/fixtures.ts';

const { app, auth } = await buildTestApp(t);

t.test('paging through a list returns every item once, in order, stable under inserts', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 5 }), async (count, limit, insertedWhilePaging) => {
      const api = client(app, auth({ org: uniqueOrg('pages') }));
      const { people } = count
        ? await api.must('POST', '/v1/people/batch', { people: Array.from({ length: count }, (_, i) => personInput({ externalId: `P-${i}` })) })
        : { people: [] as { id: string }[] };
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      let insertedBeforeLastPage = 0;
      do {
        const page: { items: { id: string }[]; nextCursor: string | null } = await api.must('GET', `/v1/people?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        if (page.items.length > limit) throw new Error('page larger than limit');
        seen.push(...page.items.map((p) => p.id));
        // Rows created while a client pages sort after every cursor, so it still meets them.
        if (pages === 0 && page.nextCursor) {
          for (let i = 0; i < insertedWhilePaging; i++) await api.must('POST', '/v1/people', personInput());
          insertedBeforeLastPage = insertedWhilePaging;
        }
        cursor = page.nextCursor;
        if (++pages > 100) throw new Error('pagination does not end');
      } while (cursor);
      const original = people.map((p: { id: string }) => p.id);
      if (new Set(seen).size !== seen.length) throw new Error('an item appeared twice');
      if (!original.every((id: string) => seen.includes(id))) throw new Error('an item was skipped');
      if (seen.length !== original.length + insertedBeforeLastPage) throw new Error(`saw ${seen.length}, expected ${original.length + insertedBeforeLastPage}`);
      if ([...seen].sort().join() !== seen.join()) throw new Error('items out of order');
    }),
    { numRuns: 25 },
  );
  t.pass('every generated case held');
});
