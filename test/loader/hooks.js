// Module hooks for the test loader (see register.js): each .ts file becomes ES module JavaScript with
// an inline source map, one file at a time, so line and branch coverage map back to the TypeScript.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const typescriptFile = /\.[cm]?tsx?$/;

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !typescriptFile.test(new URL(url).pathname)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: path.endsWith('x') ? 'tsx' : 'ts',
    format: 'esm',
    target: 'node20',
    platform: 'node',
    sourcefile: path,
    sourcemap: 'inline',
    sourcesContent: true,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true, useDefineForClassFields: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
