import { parse, type Filter } from 'scim2-parse-filter';
import { DomainError } from '../domain/errors.ts';
import { filterBoundsProblem, type FilterAttribute, type PersonFilter, type SortAttribute } from '../domain/schemas/directory.ts';
import { invalidValue } from './errors.ts';
import { SCHEMA } from './schemas.ts';

const MAX_FILTER_LENGTH = 2000;

const refuse = (message: string) => new DomainError('BAD_USER_INPUT', message, { errors: [{ path: 'filter', message }], reason: 'INVALID_FILTER' });

// SCIM attribute paths (case-insensitive, RFC 7643 §2.1) and the person's fields they filter.
// Emails filter the one email Tandem keeps (the primary one).
const ATTRIBUTES: Record<string, FilterAttribute> = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
  displayname: 'displayName',
  emails: 'email',
  'emails.value': 'email',
  active: 'active',
  'meta.created': 'created',
  'meta.lastmodified': 'lastModified',
};

function attributeOf(path: string, within?: string): FilterAttribute {
  const bare = path.toLowerCase().startsWith(`${SCHEMA.user.toLowerCase()}:`) ? path.slice(SCHEMA.user.length + 1) : path;
  const key = (within ? `${within}.${bare}` : bare).toLowerCase();
  const attribute = ATTRIBUTES[key];
  if (!attribute) throw refuse(`Users cannot be filtered by ${within ? `${within}[${path}]` : path}; filter by userName, externalId, displayName, emails, active, id, meta.created or meta.lastModified.`);
  return attribute;
}

function convert(filter: Filter, within?: string): PersonFilter {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { op: filter.op, filters: filter.filters.map((f) => convert(f, within)) };
    case 'not':
      return { op: 'not', filter: convert(filter.filter, within) };
    case '[]': {
      if (within || filter.attrPath.toLowerCase() !== 'emails') throw refuse(`Only emails[...] takes a value filter.`);
      return convert(filter.valFilter, 'emails');
    }
    case 'pr':
      return { op: 'pr', attribute: attributeOf(filter.attrPath, within) };
    default: {
      // emails[type eq "work"] and emails[primary eq true] name the one email Tandem keeps.
      if (within === 'emails' && filter.op === 'eq' && ((filter.attrPath.toLowerCase() === 'type' && filter.compValue === 'work') || (filter.attrPath.toLowerCase() === 'primary' && filter.compValue === true))) {
        return { op: 'pr', attribute: 'email' };
      }
      const value = filter.compValue;
      if (typeof value !== 'string' && typeof value !== 'boolean') throw refuse(`${filter.attrPath} ${filter.op} needs a string or a boolean.`);
      return { op: filter.op, attribute: attributeOf(filter.attrPath, within), value };
    }
  }
}

/** A SCIM filter (RFC 7644 §3.4.2.2) as the domain's directory filter; a filter it cannot run is invalidFilter. */
export function parseUserFilter(text: string): PersonFilter {
  if (text.length > MAX_FILTER_LENGTH) throw refuse(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    throw refuse(`The filter does not parse: ${(error as Error).message}`);
  }
  const filter = convert(ast);
  const problem = filterBoundsProblem(filter);
  if (problem) throw refuse(problem);
  return filter;
}

// The attributes Users sort by (RFC 7644 §3.4.2.3), each one simple order in SQL.
const SORTS: Record<string, SortAttribute> = {
  username: 'userName',
  externalid: 'externalId',
  'name.familyname': 'familyName',
  'meta.created': 'created',
  'meta.lastmodified': 'lastModified',
};

/**
 * `sortBy` and `sortOrder` as the domain's sort. RFC 7644 names no error for an attribute the
 * service provider does not sort by; it is a value "not compatible with the operation": invalidValue.
 */
export function parseUserSort(sortBy: string | undefined, sortOrder: string | undefined): { sortBy?: SortAttribute; sortOrder?: 'ascending' | 'descending' } {
  if (sortOrder !== undefined && sortOrder !== '' && !/^(ascending|descending)$/i.test(sortOrder)) throw invalidValue('sortOrder must be ascending or descending.');
  if (sortBy === undefined || sortBy === '') return {};
  const bare = sortBy.toLowerCase().startsWith(`${SCHEMA.user.toLowerCase()}:`) ? sortBy.slice(SCHEMA.user.length + 1) : sortBy;
  const attribute = SORTS[bare.toLowerCase()];
  if (!attribute) throw invalidValue(`Users cannot be sorted by ${sortBy}; sort by userName, externalId, name.familyName, meta.created or meta.lastModified.`);
  return { sortBy: attribute, ...(sortOrder ? { sortOrder: sortOrder.toLowerCase() as 'ascending' | 'descending' } : {}) };
}
