import fc from 'fast-check';
import t from 'tap';
import { iso, isoOrNull } from '../../src/domain/present.ts';

t.test('timestamps are written exactly as Date#toISOString writes them', async (t) => {
  fc.assert(
    fc.property(fc.date({ min: new Date(-62_000_000_000_000), max: new Date(300_000_000_000_000), noInvalidDate: true }), (date) => iso(date) === date.toISOString()),
    { numRuns: 20_000 },
  );
  t.equal(iso(new Date('2026-01-02T03:04:05.006Z')), '2026-01-02T03:04:05.006Z', 'padding of every field');
  t.equal(isoOrNull(null), null);
});
