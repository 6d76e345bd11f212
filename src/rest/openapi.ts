import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>;

// jsonSchemaTransform expects zod schemas on every route; mercurius and health routes have none.
const transform: Transform = (input) => {
  const schema = input.schema as Record<string, unknown> | undefined;
  const hasZod = schema && Object.values(schema).some((part) => typeof part === 'object' && part !== null && '_zod' in part);
  const hasZodResponse =
    schema?.response && Object.values(schema.response as object).some((part) => typeof part === 'object' && part !== null && '_zod' in part);
  if (!hasZod && !hasZodResponse) return { schema: input.schema, url: input.url };
  return jsonSchemaTransform(input);
};

export const openApiDocument: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1.0.0',
      description:
        'Headless mentoring-lifecycle API. Relationships move through the stages of a stage model; ' +
        'each move is refused until the work of its stage is done. Errors are RFC 9457 problem documents.',
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearerAuth: [] }],
  },
  transform,
  transformObject: jsonSchemaTransformObject,
};
