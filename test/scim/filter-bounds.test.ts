import t from 'tap';
import { DomainError } from '../../src/domain/errors.ts';
import { FILTER_BOUNDS, ListDirectoryPeopleInput } from '../../src/domain/schemas/directory.ts';
import { parseUserFilter } from '../../src/scim/filter.ts';

// Issue 36: a filter's SQL grows with its terms and its nesting, so both are bounded (a 400
// invalidFilter at SCIM, the same bound in the domain's schema).
const terms = (n: number) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(' or ');
const nested = (depth: number) => `${'not ('.repeat(depth)}userName pr${')'.repeat(depth)}`;

const refusal = (text: string) => {
  try {
    parseUserFilter(text);
    return null;
  } catch (error) {
    return error instanceof DomainError ? { reason: error.details?.reason, message: error.message } : { reason: 'other', message: String(error) };
  }
};

t.test('at the bounds a filter is read; one over, it is refused naming the bound', async (t) => {
  t.equal(refusal(terms(FILTER_BOUNDS.terms)), null, `${FILTER_BOUNDS.terms} comparisons`);
  t.match(refusal(terms(FILTER_BOUNDS.terms + 1)), { reason: 'INVALID_FILTER', message: /21 comparisons; at most 20/ });
  t.equal(refusal(nested(FILTER_BOUNDS.depth)), null, `${FILTER_BOUNDS.depth} deep`);
  t.match(refusal(nested(FILTER_BOUNDS.depth + 1)), { reason: 'INVALID_FILTER', message: /nests 7 deep/ });
  t.match(refusal(`userName eq "${'x'.repeat(2000)}"`), { reason: 'INVALID_FILTER', message: /longer than 2000/ });
});

t.test('the domain schema holds the same bounds, whoever builds the filter', async (t) => {
  const wide = { op: 'or' as const, filters: Array.from({ length: 21 }, (_, i) => ({ op: 'eq' as const, attribute: 'userName' as const, value: `u${i}` })) };
  const parsed = ListDirectoryPeopleInput.safeParse({ filter: wide });
  t.equal(parsed.success, false);
  t.match(parsed.error?.issues[0], { path: ['filter'], message: /at most 20/ });
  t.equal(ListDirectoryPeopleInput.safeParse({ filter: { ...wide, filters: wide.filters.slice(0, 20) } }).success, true);
});
