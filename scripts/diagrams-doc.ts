// Writes the built-in stage models' diagrams to docs/stage-models/ (SVG, drawn by Graphviz from
// the same DOT the API serves), for the README:
//   npm run docs:diagrams              write them
//   npm run docs:diagrams -- --check   fail when a committed picture is stale
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { BUILT_IN_MODELS } from '../src/domain/stage-models/index.ts';
import { stageModelDot } from '../src/domain/stage-models/diagram.ts';
import { renderSvg } from '../src/rest/render-diagram.ts';

const folder = new URL('../docs/stage-models/', import.meta.url);
const check = process.argv.includes('--check');
const stale: string[] = [];
await mkdir(folder, { recursive: true });
for (const model of BUILT_IN_MODELS) {
  const target = new URL(`${model.key}.svg`, folder);
  const svg = await renderSvg(stageModelDot(model));
  if (!check) await writeFile(target, svg);
  else if ((await readFile(target, 'utf8').catch(() => '')) !== svg) stale.push(`docs/stage-models/${model.key}.svg`);
}
if (stale.length) {
  console.error(`${stale.join(', ')} stale: run \`npm run docs:diagrams\` and commit the result.`);
  process.exit(1);
}
console.log(check ? 'docs/stage-models/ is current.' : `wrote docs/stage-models/ (${BUILT_IN_MODELS.map((model) => `${model.key}.svg`).join(', ')})`);
