import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The project root: the nearest folder above this module that holds package.json. Run through
 * tsx this module is src/root.ts; built, it is inlined into dist/server.mjs (or a bench build),
 * so a fixed '../..' from import.meta.url would point somewhere else. Files read at run time
 * (schema.graphql, drizzle/) are resolved from here.
 */
function findRoot(): URL {
  let dir = new URL('./', import.meta.url);
  for (;;) {
    if (existsSync(new URL('package.json', dir))) return dir;
    const parent = new URL('../', dir);
    if (parent.href === dir.href) throw new Error(`no package.json in any folder above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export const rootUrl = findRoot();

/** A path relative to the project root, as a file URL. */
export const fromRoot = (path: string): URL => new URL(path, rootUrl);

/** Tandem's version, as package.json says (the OpenAPI document's info.version). */
export const packageVersion: string = (JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { version: string }).version;
