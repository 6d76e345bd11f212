// @ts-check
// PGlite data directories made once and copied into a brand-new DATA_DIR before `npm start`, so a
// first start skips initdb (about 2 s and, in the process, 450 MB of memory) and the migrations
// (about 2 s for all of drizzle/ on PGlite):
//   pglite-<version>           an empty cluster, made once per PGlite version
//   pglite-<version>-<hash>    that cluster migrated with exactly the migrations in drizzle/ (their hash)
// The server still migrates on every start, and finds nothing to do in a copy of the migrated template.
// After drizzle/ changed, the next new data directory first migrates a copy of the empty cluster into
// a new template. A data directory that has anything in it is never touched.
// Plain JavaScript: `npm start` runs it before the server without a TypeScript loader (scripts/build.mjs).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pglite = /** @type {{ version: string }} */ (JSON.parse(readFileSync(`${root}node_modules/@electric-sql/pglite/package.json`, 'utf8')));

/**
 * Where the templates are and which migrations they hold (tests give their own).
 * @typedef {{ cacheDir?: string, migrationsFolder?: string }} Templates
 */
const defaults = { cacheDir: `${root}node_modules/.cache/tandem`, migrationsFolder: `${root}drizzle` };

/** The journal and every migration it lists (what drizzle's migrator reads), as one hash. */
export function migrationsHash(/** @type {string} */ folder) {
  const hash = createHash('sha256');
  const journal = readFileSync(`${folder}/meta/_journal.json`, 'utf8');
  hash.update(journal);
  for (const { tag } of /** @type {{ entries: { tag: string }[] }} */ (JSON.parse(journal)).entries) hash.update(readFileSync(`${folder}/${tag}.sql`));
  return hash.digest('hex').slice(0, 16);
}

/** The empty cluster and the migrated template for the migrations as they are now. */
export function templateDirs(/** @type {Templates} */ { cacheDir = defaults.cacheDir, migrationsFolder = defaults.migrationsFolder } = {}) {
  const empty = `${cacheDir}/pglite-${pglite.version}`;
  return { cacheDir, migrationsFolder, empty, migrated: `${empty}-${migrationsHash(migrationsFolder)}` };
}

const initialised = (/** @type {string} */ dir) => existsSync(`${dir}/PG_VERSION`);

/** Fills a temporary folder and renames it into place, so a template is either whole or missing. */
async function makeDir(/** @type {string} */ dir, /** @type {(building: string) => Promise<void>} */ fill) {
  const building = `${dir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  await fill(building);
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
}

/** Makes the templates that are missing (initdb, then the migrations); false when both were there. */
export async function makeTemplate(/** @type {Templates} */ templates = {}) {
  const { cacheDir, migrationsFolder, empty, migrated } = templateDirs(templates);
  if (initialised(empty) && initialised(migrated)) return false;
  const { PGlite } = await import('@electric-sql/pglite');
  if (!initialised(empty)) await makeDir(empty, async (building) => (await PGlite.create({ dataDir: building })).close());
  await makeDir(migrated, async (building) => {
    cpSync(empty, building, { recursive: true });
    const client = await PGlite.create({ dataDir: building });
    try {
      const { drizzle } = await import('drizzle-orm/pglite');
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      await migrate(drizzle({ client }), { migrationsFolder });
    } finally {
      await client.close();
    }
  });
  // Templates of earlier migrations are never copied again.
  const earlier = readdirSync(cacheDir).filter((name) => name.startsWith(`pglite-${pglite.version}-`) && `${cacheDir}/${name}` !== migrated && !name.endsWith('.tmp'));
  for (const name of earlier) rmSync(`${cacheDir}/${name}`, { recursive: true, force: true });
  return true;
}

/**
 * Copies the migrated template into dataDir when dataDir is missing or empty, making the templates
 * first if they are missing; false when dataDir was left alone. PG_VERSION, which PGlite takes for
 * "initialised", is copied last: an interrupted copy leaves a folder that PGlite initialises afresh,
 * not a broken cluster.
 */
export async function seedDataDir(/** @type {string} */ dataDir, /** @type {Templates} */ templates = {}) {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  await makeTemplate(templates);
  const source = templateDirs(templates).migrated;
  mkdirSync(dataDir, { recursive: true });
  for (const entry of readdirSync(source)) {
    if (entry !== 'PG_VERSION') cpSync(`${source}/${entry}`, `${dataDir}/${entry}`, { recursive: true });
  }
  cpSync(`${source}/PG_VERSION`, `${dataDir}/PG_VERSION`);
  return true;
}
