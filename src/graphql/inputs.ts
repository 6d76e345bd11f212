import { z } from 'zod';
import { Id } from '../domain/schemas/common.ts';
import { parseInput } from '../domain/validate.ts';

export type WithoutNulls<T> = T extends readonly (infer U)[]
  ? WithoutNulls<U>[]
  : T extends object
    ? { [K in keyof T]: WithoutNulls<Exclude<T[K], null>> }
    : T;

/**
 * For inputs that create something, an explicit null and a missing field mean the same (use the
 * default), so nulls are dropped before the domain's zod schema judges the rest. Updates keep their
 * nulls: there null means "clear it", and the domain refuses it where a field cannot be cleared.
 */
export function withoutNulls<T>(value: T): WithoutNulls<T> {
  if (Array.isArray(value)) return value.map(withoutNulls) as WithoutNulls<T>;
  if (value === null || typeof value !== 'object') return value as WithoutNulls<T>;
  const entries = Object.entries(value).filter(([, inner]) => inner !== null);
  return Object.fromEntries(entries.map(([key, inner]) => [key, withoutNulls(inner)])) as WithoutNulls<T>;
}

const idSchemas = new Map<string, z.ZodObject>();

/**
 * Id arguments are checked with the domain's own Id schema, as REST checks its path parameters:
 * a malformed id is BAD_USER_INPUT naming the argument, never a database error.
 */
export function requireIds<T extends Record<string, string>>(ids: T): T {
  const names = Object.keys(ids).join(',');
  let schema = idSchemas.get(names);
  // One schema per argument list: zod compiles an object schema on its first parse, a cost each request paid.
  if (!schema) idSchemas.set(names, (schema = z.object(Object.fromEntries(Object.keys(ids).map((key) => [key, Id])))));
  return parseInput(schema, ids) as T;
}

/**
 * Update inputs go to the domain as they came, nulls included: its zod schema is their one judge.
 * The cast only widens GraphQL's `T | null` to what the use case declares it accepts.
 */
export const asDomainInput = <T>(value: unknown) => value as T;
