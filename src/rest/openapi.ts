import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { packageVersion } from '../root.ts';
import { stageModelPicturesMarkdown } from './stage-model-pictures.ts';

type Transform = NonNullable<FastifyDynamicSwaggerOptions['transform']>;
type TransformObject = NonNullable<FastifyDynamicSwaggerOptions['transformObject']>;

const isZod = (part: unknown) => typeof part === 'object' && part !== null && '_zod' in part;

// jsonSchemaTransform expects zod schemas on every route; mercurius and health routes have none.
const transform: Transform = (input) => {
  const schema = input.schema as Record<string, unknown> | undefined;
  const hasZod = schema && (Object.values(schema).some(isZod) || Object.values((schema.response as object) ?? {}).some(isZod));
  return hasZod ? jsonSchemaTransform(input) : { schema: input.schema, url: input.url };
};

// The zod provider emits an input and an output variant of every registered schema; keep
// only the components the operations actually reference, so the document reads cleanly.
const transformObject: TransformObject = (documentObject) => {
  const document = jsonSchemaTransformObject(documentObject) as { components?: { schemas?: Record<string, unknown> }; paths?: unknown };
  const schemas = document.components?.schemas;
  if (!schemas) return document as ReturnType<TransformObject>;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
        const name = value.slice('#/components/schemas/'.length);
        if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(value);
    }
  };
  visit(document.paths);
  document.components!.schemas = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)).sort(([a], [b]) => a.localeCompare(b)));
  return document as ReturnType<TransformObject>;
};

export const openApiDocument: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: packageVersion,
      description:
        'Headless mentoring-lifecycle API. Relationships move through the stages of a stage model; ' +
        'each move is refused until the work of its stage is done. Errors are RFC 9457 problem documents.\n\n' +
        '## The built-in stage models\n\nDashed arrows loop back to an earlier stage; each arrow names the guards that must hold. ' +
        'Any programme may draw its own model (`GET /v1/programmes/{id}/stage-model/diagram`), and any relationship its path ' +
        '(`GET /v1/relationships/{id}/diagram`).\n\n' +
        stageModelPicturesMarkdown,
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearerAuth: [] }],
  },
  transform,
  transformObject,
};
