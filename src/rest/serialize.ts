import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { z } from 'zod';

type JsonSchema = { [key: string]: unknown };

// Keywords that only constrain or describe values: writing an answer needs none of them, and
// fast-json-stringify hands any `anyOf` that keeps them to a validator on every answer.
const NOT_FOR_WRITING = new Set(['$schema', 'format', 'pattern', 'example', 'examples', 'description', 'title', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'default', 'id']);

/**
 * The JSON Schema of a zod schema, reduced to what shapes the output: constraints dropped, and
 * `X | null` written as a nullable X, which fast-json-stringify writes without a validator.
 */
export function writingSchema(schema: z.ZodType): JsonSchema {
  const full = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' }) as JsonSchema;
  const definitions = (full.definitions ?? {}) as Record<string, JsonSchema>;
  const resolve = (node: JsonSchema): JsonSchema => {
    const ref = node.$ref;
    return typeof ref === 'string' && ref.startsWith('#/definitions/') ? resolve(definitions[ref.slice('#/definitions/'.length)]!) : node;
  };
  const reduce = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(reduce);
    if (!node || typeof node !== 'object') return node;
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(node)) {
      // A uuid is hex digits and dashes (from a uuid column, or an input checked as one), a timestamp
      // ISO text made by present.ts's iso() or db/iso-rows.ts: both are written without
      // fast-json-stringify's escaping loop (half of a list page's serialising). An answer holding
      // anything else there breaks its own contract, which the suite checks on every answer.
      if (key === 'format' && (value === 'uuid' || value === 'date-time')) out.format = 'unsafe';
      if (NOT_FOR_WRITING.has(key)) continue;
      out[key] = key === 'properties' || key === 'definitions' ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, child]) => [name, reduce(child)])) : reduce(value);
    }
    const branches = out.anyOf as JsonSchema[] | undefined;
    if (branches?.length === 2 && branches.some((branch) => branch.type === 'null' && Object.keys(branch).length === 1)) {
      const other = resolve(branches.find((branch) => !(branch.type === 'null' && Object.keys(branch).length === 1))!);
      if (typeof other.type === 'string' && !other.anyOf) {
        const { anyOf: _, ...rest } = out;
        return { ...rest, ...other, nullable: true };
      }
    }
    return out;
  };
  return reduce(full) as JsonSchema;
}

/**
 * Answers are written by fast-json-stringify from the route's zod schema (as fastify does for
 * plain JSON Schemas): only documented fields leave, and no zod parse of every answer runs first
 * (bench/FINDINGS.md §3). Each serializer is compiled on its route's first answer with that status,
 * so start-up does not pay for answers never sent. The test suite checks every answer against
 * openapi.yaml.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  let stringify: ((data: unknown) => string) | undefined;
  return (data) => {
    stringify ??= fastJson(writingSchema(schema) as never);
    return stringify(data);
  };
};
