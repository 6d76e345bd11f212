// Builds the service to plain JavaScript, so it runs as `node dist/server.mjs`, without tsx:
//   npm run build                       dist/server.mjs, dist/worker.mjs (+ source maps)
//   tsx scripts/build.ts --pglite-template   also the PGlite template (npm ci runs this: "prepare")
//   tsx scripts/build.ts --pglite-template --seed   also copy it into a new DATA_DIR ("prestart")
// One ESM file per entry point; packages stay in node_modules (external). schema.graphql and
// drizzle/ are read at run time from the project root (src/root.ts finds it above dist/).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { makeTemplate, seedDataDir } from './pglite-template.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** How every Node entry point of this repository is bundled (the bench builds its child the same way). */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  outExtension: { '.js': '.mjs' },
  // `eslint .` would otherwise lint the bundles (esbuild keeps unused top-level constants).
  banner: { js: '// Built by scripts/build.ts from TypeScript sources: do not edit.\n/* eslint-disable */' },
  logLevel: 'warning',
} satisfies BuildOptions;

export async function buildService(outdir = `${root}dist`): Promise<void> {
  await build({
    ...nodeBundle,
    entryPoints: { server: `${root}src/server.ts`, worker: `${root}scripts/worker.ts` },
    outdir,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  await buildService();
  console.log(`built dist/server.mjs and dist/worker.mjs (${elapsed()})`);
  if (process.argv.includes('--pglite-template') && (await makeTemplate())) console.log(`made the PGlite data directory template (${elapsed()})`);
  // The rule of src/config.ts: embedded PGlite when DATABASE_URL is unset, in DATA_DIR or ./.data.
  const dataDir = process.env.DATA_DIR || './.data';
  if (process.argv.includes('--seed') && !process.env.DATABASE_URL && !dataDir.startsWith('memory://') && seedDataDir(dataDir)) {
    console.log(`new data directory ${dataDir} copied from the PGlite template (${elapsed()})`);
  }
}
