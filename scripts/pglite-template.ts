// A PGlite data directory initialised once per PGlite version and copied into a brand-new
// DATA_DIR before `npm start`, so a first start skips initdb: most of its time (about 2 of 3 s)
// and most of its memory (initdb leaves the process at about 850 MB instead of 400 MB).
// It holds an empty cluster, not the schema: the server migrates as always, so the template
// never goes stale with drizzle/. A data directory that has anything in it is never touched.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pglite = JSON.parse(readFileSync(`${root}node_modules/@electric-sql/pglite/package.json`, 'utf8')) as { version: string };
export const templateDir = `${root}node_modules/.cache/tandem/pglite-${pglite.version}`;

/** Runs initdb once into the template folder; false when it is already there. */
export async function makeTemplate(): Promise<boolean> {
  if (existsSync(`${templateDir}/PG_VERSION`)) return false;
  const building = `${templateDir}.${process.pid}.tmp`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  await (await PGlite.create({ dataDir: building })).close();
  rmSync(templateDir, { recursive: true, force: true });
  renameSync(building, templateDir);
  return true;
}

/**
 * Copies the template into dataDir when dataDir is missing or empty and the template exists.
 * PG_VERSION, which PGlite takes for "initialised", is copied last: an interrupted copy leaves a
 * folder that PGlite initialises afresh, not a broken cluster.
 */
export function seedDataDir(dataDir: string): boolean {
  if (!existsSync(`${templateDir}/PG_VERSION`)) return false;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return false;
  mkdirSync(dataDir, { recursive: true });
  for (const entry of readdirSync(templateDir)) {
    if (entry !== 'PG_VERSION') cpSync(`${templateDir}/${entry}`, `${dataDir}/${entry}`, { recursive: true });
  }
  cpSync(`${templateDir}/PG_VERSION`, `${dataDir}/PG_VERSION`);
  return true;
}
