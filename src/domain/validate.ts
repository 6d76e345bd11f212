import type { z } from 'zod';
import { invalid } from './errors.ts';

/**
 * Use cases parse their input first, whichever transport called them: the same zod schema
 * that validated a REST body also guards GraphQL and internal callers.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ path: issue.path.join('.') || 'input', message: issue.message }));
  throw invalid(`${errors.length} field(s) failed validation.`, errors);
}
