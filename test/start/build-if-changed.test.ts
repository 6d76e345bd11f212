import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { buildService, isBuilt } from '../../scripts/build.mjs';

// `npm start` rebuilds dist/ only when something it was built from changed (scripts/build.mjs
// --if-changed): a stale bundle would run code that is no longer in src/.
const root = fileURLToPath(new URL('../../', import.meta.url));

function copyOfProject(): string {
  const dir = `${mkdtempSync(join(tmpdir(), 'tandem-build-'))}/`;
  for (const entry of ['src', 'scripts', 'tsconfig.json', 'package.json']) cpSync(`${root}${entry}`, `${dir}${entry}`, { recursive: true });
  symlinkSync(`${root}node_modules`, `${dir}node_modules`);
  return dir;
}

t.test('dist/ counts as built until a file it was built from changes', async (t) => {
  const from = copyOfProject();
  t.teardown(() => rmSync(from, { recursive: true, force: true }));
  t.notOk(isBuilt(from), 'nothing built yet');
  await buildService(from);
  t.ok(isBuilt(from), 'built');

  const later = new Date(Date.now() + 60_000);
  utimesSync(`${from}src/start-banner.ts`, later, later);
  t.ok(isBuilt(from), 'a newer timestamp alone changes nothing: the contents are compared');

  for (const file of ['src/start-banner.ts', 'src/db/errors.ts', 'scripts/worker.ts', 'src/solver/solver-worker.ts', 'tsconfig.json', 'scripts/build.mjs']) {
    appendFileSync(`${from}${file}`, '\n');
    t.notOk(isBuilt(from), `${file} changed`);
    await buildService(from);
    t.ok(isBuilt(from), `rebuilt after ${file} changed`);
  }

  rmSync(`${from}dist/solver-worker.mjs`);
  t.notOk(isBuilt(from), 'the solver thread\'s bundle is missing');
  await buildService(from);
  rmSync(`${from}dist/worker.mjs`);
  t.notOk(isBuilt(from), 'a bundle is missing');
});

t.test('npm start (--if-changed) builds only when needed and says which', async (t) => {
  const from = copyOfProject();
  t.teardown(() => rmSync(from, { recursive: true, force: true }));
  const prestart = () => execFileSync(process.execPath, ['scripts/build.mjs', '--if-changed'], { cwd: from, encoding: 'utf8' });
  t.match(prestart(), /^built dist\/server\.mjs, dist\/worker\.mjs and dist\/solver-worker\.mjs/);
  t.match(prestart(), /^dist\/ is up to date with its sources/);
  const banner = `${from}src/start-banner.ts`;
  writeFileSync(banner, readFileSync(banner, 'utf8').replace('Tandem is ready', 'Tandem is up'));
  t.match(prestart(), /^built /);
  t.match(readFileSync(`${from}dist/server.mjs`, 'utf8'), /Tandem is up/, 'the new source is in the bundle');
});
