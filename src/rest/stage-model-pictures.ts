import type { FastifyInstance } from 'fastify';
import { notFound } from '../domain/errors.ts';
import { BUILT_IN_MODELS } from '../domain/stage-models/index.ts';
import { stageModelDot } from '../domain/stage-models/diagram.ts';
import { renderSvg } from './render-diagram.ts';

/**
 * The built-in stage models as public pictures, for the reference at /docs (an <img> cannot send
 * a bearer token): product documentation, the same for every organisation, so no token is asked.
 * Tenants' own models and relationships stay behind /v1 and its permissions.
 */
export async function stageModelPictures(app: FastifyInstance) {
  const rendered = new Map<string, Promise<string>>();
  app.get<{ Params: { file: string } }>('/diagrams/stage-models/:file', { schema: { hide: true } }, async (request, reply) => {
    const key = request.params.file.replace(/\.svg$/, '');
    const model = BUILT_IN_MODELS.find((candidate) => candidate.key === key);
    if (!model || !request.params.file.endsWith('.svg')) throw notFound('built-in stage model', key);
    if (!rendered.has(key)) rendered.set(key, renderSvg(stageModelDot(model)));
    return reply.type('image/svg+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(await rendered.get(key));
  });
}

/** Markdown for the reference's introduction: each built-in model drawn. */
export const stageModelPicturesMarkdown = BUILT_IN_MODELS.map((model) => `![${model.name} (${model.key})](/diagrams/stage-models/${model.key}.svg)`).join('\n\n');
