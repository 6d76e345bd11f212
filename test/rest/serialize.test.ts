import fc from 'fast-check';
import t from 'tap';
import { z } from 'zod';
import { serializerCompiler } from '../../src/rest/serialize.ts';

// Answers are written from the route's zod schema: documented fields only, nullable ones as null,
// and the same JSON as JSON.stringify of the documented fields.
const Thing = z.object({
  id: z.uuid(),
  name: z.string().max(10),
  at: z.iso.datetime().nullable(),
  tags: z.array(z.string()),
  nested: z.object({ n: z.number().int() }).nullable(),
  kind: z.enum(['a', 'b']),
});
const write = serializerCompiler({ schema: Thing, method: 'GET', url: '/things', httpStatus: '200' } as never);

t.test('undocumented fields never leave, whatever the domain hands over', async (t) => {
  const out = JSON.parse(write({ id: '01938f5e-7b7a-7c3e-9a4b-2f1d8e6c5a10', name: 'x', at: null, tags: [], nested: null, kind: 'a', secretHash: 'abc', orgId: 'other' }));
  t.same(Object.keys(out).sort(), ['at', 'id', 'kind', 'name', 'nested', 'tags']);
  t.equal(out.at, null);
  t.equal(out.nested, null);
});

t.test('documented values come out as JSON.stringify writes them', async (t) => {
  const thing = fc.record({
    id: fc.uuid(),
    name: fc.string(),
    at: fc.option(fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString())),
    tags: fc.array(fc.string()),
    nested: fc.option(fc.record({ n: fc.integer() })),
    kind: fc.constantFrom('a', 'b'),
  });
  t.doesNotThrow(() => fc.assert(fc.property(thing, (value) => write(value) === JSON.stringify(value)), { numRuns: 500 }));
});
