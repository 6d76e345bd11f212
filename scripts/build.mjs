// @ts-check
// Builds the service to plain JavaScript, so it runs as `node dist/server.mjs`, without tsx:
//   npm run build                                  dist/server.mjs, dist/worker.mjs, dist/solver-worker.mjs (+ source maps)
//   node scripts/build.mjs --pglite-template       also the PGlite templates (npm ci runs this: "prepare")
//   node scripts/build.mjs --if-changed --seed     "prestart": build only if an input changed since the
//                                                  last build, and seed a new DATA_DIR from the template
// One ESM file per entry point; packages stay in node_modules (external). schema.graphql and
// drizzle/ are read at run time from the project root (src/root.ts finds it above dist/).
// dist/solver-worker.mjs is the matching solver's worker thread, which src/solver/solve-assignment.ts
// starts from beside the bundle that imports it.
// Plain JavaScript, so `npm start` needs no TypeScript loader before the server (tsx cost about 0.5 s).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seedDataDir, makeTemplate } from './pglite-template.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * How every Node entry point of this repository is bundled (the bench builds its child the same way).
 * @satisfies {import('esbuild').BuildOptions}
 */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  outExtension: { '.js': '.mjs' },
  // `eslint .` would otherwise lint the bundles (esbuild keeps unused top-level constants).
  banner: { js: '// Built by scripts/build.mjs from TypeScript sources: do not edit.\n/* eslint-disable */' },
  logLevel: 'warning',
};

// What a build read besides its metafile's inputs: this script's options, esbuild and the compiler settings.
const alwaysInputs = ['scripts/build.mjs', 'package.json', 'tsconfig.json', 'node_modules/esbuild/package.json'];

/** Each input file (relative to root) with the hash of its content; null for a file that is gone. */
function hashInputs(/** @type {string} */ from, /** @type {string[]} */ files) {
  return Object.fromEntries(
    files.map((file) => [file, existsSync(`${from}${file}`) ? createHash('sha256').update(readFileSync(`${from}${file}`)).digest('hex') : null]),
  );
}

/** Builds dist/ and records what it was built from (dist/inputs.json) for isBuilt(). */
export async function buildService(from = root, outdir = `${from}dist`) {
  const { build } = await import('esbuild');
  const entryPoints = { server: `${from}src/server.ts`, worker: `${from}scripts/worker.ts`, 'solver-worker': `${from}src/solver/solver-worker.ts` };
  const { metafile } = await build({ ...nodeBundle, entryPoints, outdir, absWorkingDir: from, metafile: true });
  const inputs = hashInputs(from, [...Object.keys(metafile.inputs), ...alwaysInputs]);
  writeFileSync(`${outdir}/inputs.json`, JSON.stringify(inputs, null, 1) + '\n');
}

/** True when dist/ holds every bundle and every file they were built from is unchanged. */
export function isBuilt(from = root, outdir = `${from}dist`) {
  if (!['server.mjs', 'worker.mjs', 'solver-worker.mjs', 'inputs.json'].every((file) => existsSync(`${outdir}/${file}`))) return false;
  const recorded = /** @type {Record<string, string | null>} */ (JSON.parse(readFileSync(`${outdir}/inputs.json`, 'utf8')));
  const now = hashInputs(from, Object.keys(recorded));
  return Object.entries(recorded).every(([file, hash]) => hash !== null && now[file] === hash);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const elapsed = () => `${Math.round(performance.now() - started)} ms`;
  if (process.argv.includes('--if-changed') && isBuilt()) {
    console.log(`dist/ is up to date with its sources (${elapsed()})`);
  } else {
    await buildService();
    console.log(`built dist/server.mjs, dist/worker.mjs and dist/solver-worker.mjs (${elapsed()})`);
  }
  if (process.argv.includes('--pglite-template') && (await makeTemplate())) console.log(`made the PGlite data directory templates (${elapsed()})`);
  // The rule of src/config.ts: embedded PGlite when DATABASE_URL is unset, in DATA_DIR or ./.data.
  const dataDir = process.env.DATA_DIR || './.data';
  if (process.argv.includes('--seed') && !process.env.DATABASE_URL && !dataDir.startsWith('memory://') && (await seedDataDir(dataDir))) {
    console.log(`new data directory ${dataDir} copied from the migrated PGlite template (${elapsed()})`);
  }
}
