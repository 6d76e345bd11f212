import t from 'tap';
import { z } from 'zod';
import { DomainError } from '../../src/domain/errors.ts';
import { parseInput, rememberParsed } from '../../src/domain/validate.ts';

// A use case parses its input whoever calls it; what a transport already parsed with the very same
// schema is taken as it is (the REST validator remembers it), and nothing else is.
const Batch = z.object({ names: z.array(z.string().trim().min(1)).max(3) });
const Other = z.object({ names: z.array(z.string()) });

t.test('an output remembered for a schema is taken as it is, by that schema only', async (t) => {
  const output = Batch.parse({ names: [' Ada '] });
  rememberParsed(Batch, output);
  t.equal(parseInput(Batch, output), output, 'the same object: not parsed again');
  t.not(parseInput(Other, output), output, 'another schema parses it');
  const lookalike = { names: [' Ada '] };
  t.same(parseInput(Batch, lookalike), { names: ['Ada'] }, 'an equal object nobody parsed is parsed');
});

t.test('what was never parsed is still judged', async (t) => {
  const error = t.throws(() => parseInput(Batch, { names: ['', 'b', 'c', 'd'] })) as DomainError;
  t.equal(error.code, 'BAD_USER_INPUT');
  rememberParsed(Batch, 'a string');
  t.throws(() => parseInput(Batch, 'a string'), 'only objects are remembered');
});
