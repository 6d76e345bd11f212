import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { rememberParsed } from '../domain/validate.ts';

/**
 * fastify-type-provider-zod's validation, and each parsed body, query or params remembered as its
 * schema's output, so a use case given it whole does not parse it again (domain/validate.ts).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  return (data) => {
    const result = validate(data);
    if (typeof result === 'object' && 'value' in result) rememberParsed(route.schema, result.value);
    return result;
  };
};
