import type { FastifyReply } from 'fastify';
import type { Viz } from '@viz-js/viz';
import { z } from 'zod';

export const DiagramQuery = z.strictObject({
  format: z.enum(['svg', 'dot']).optional().meta({ description: 'svg (default) or dot (the Graphviz source); the same as Accept: image/svg+xml or text/vnd.graphviz.' }),
});

const SVG = 'image/svg+xml';
const DOT = 'text/vnd.graphviz';

/** The documented 200 of a diagram route: SVG by default, the DOT source on request. */
export const diagramResponse = {
  description: 'The diagram as SVG, or its Graphviz DOT source (`?format=dot` or `Accept: text/vnd.graphviz`).',
  content: { [SVG]: { schema: z.string() }, [DOT]: { schema: z.string() } },
};

// Graphviz compiled to WebAssembly (a 1.2 MB module): loaded and compiled once per process, on the
// first diagram asked for, so a start-up that draws nothing does not pay its ~0.1–0.4 s and ~10 MB.
let viz: Promise<Viz> | undefined;

/** Renders DOT to SVG. Pure presentation: the DOT itself is built by the domain. */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((module) => module.instance());
  return (await viz).renderString(dot, { format: 'svg' });
}

/** `?format` wins; otherwise whichever of SVG and DOT the Accept header names first; SVG when neither. */
function wantsDot(asked: Asked): boolean {
  if (asked.format) return asked.format === 'dot';
  const accept = (asked.accept ?? '').toLowerCase();
  const dot = accept.indexOf(DOT);
  const svg = accept.indexOf(SVG);
  return dot >= 0 && (svg < 0 || dot < svg);
}

type Asked = { format?: 'svg' | 'dot' | undefined; accept?: string | undefined };

/** Answers the diagram in the format asked for (`?format`, then Accept). */
export async function sendDiagram(reply: FastifyReply, asked: Asked, dot: string) {
  reply.header('vary', 'accept');
  if (wantsDot(asked)) return reply.type(`${DOT}; charset=utf-8`).send(dot);
  return reply.type(`${SVG}; charset=utf-8`).send(await renderSvg(dot));
}
