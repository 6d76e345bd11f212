import { readdir, readFile } from 'node:fs/promises';
import { ESLint } from 'eslint';
import t from 'tap';
import { CONSUMERS, LAYERS, MAX_DEPTH, PACKAGE_GROUPS, layerTable, type Layer } from '../../layers.js';

// The layer table (layers.js) is the rule `npm run check` enforces: for every layer, a file that
// imports a layer or package the table refuses fails ESLint, and the imports it allows pass.
const root = new URL('../../', import.meta.url);
const eslint = new ESLint({ cwd: root.pathname });

/** A module inside `path` (a folder or a file under src/), as a path relative to the project root. */
const inside = (path: string) => (path.endsWith('.ts') ? path : `${path}/probe-target.ts`);

/** The relative import of `target` from a file `depth` folders below src/. */
const importOf = (target: string, depth: number) => (depth === 0 ? './' : '../'.repeat(depth)) + target.replace(/^src\//, '');

interface Probe {
  line: string;
  refused: boolean;
  what: string;
}

function probesFor(layer: Layer, depth: number): Probe[] {
  const probes: Probe[] = [];
  for (const other of LAYERS) {
    if (other === layer) continue;
    for (const path of other.paths) {
      probes.push({ line: `import '${importOf(inside(path), depth)}';`, refused: !layer.mayImport.includes(other.name), what: `${other.name} (${path})` });
    }
  }
  for (const folder of CONSUMERS) probes.push({ line: `import '${'../'.repeat(depth + 1)}${folder}/probe.ts';`, refused: true, what: folder });
  for (const pattern of (layer.refusedPackages ?? []).flatMap((group) => PACKAGE_GROUPS[group])) {
    probes.push({ line: `import '${pattern.replace('*', 'probe')}';`, refused: true, what: `package ${pattern}` });
  }
  probes.push({ line: "import 'zod';", refused: false, what: 'an allowed package (zod)' });
  return probes;
}

for (const layer of LAYERS) {
  for (const path of layer.paths) {
    const depths = path.endsWith('.ts') ? [0] : [1, 2, MAX_DEPTH];
    for (const depth of depths) {
      const filePath = path.endsWith('.ts') ? path : `${path}/${'nested/'.repeat(depth - 1)}layer-probe.ts`;
      t.test(`${filePath}: the ${layer.name} layer's imports`, async (t) => {
        const probes = probesFor(layer, depth);
        const [result] = await eslint.lintText(probes.map((probe) => probe.line).join('\n') + '\n', { filePath: new URL(filePath, root).pathname });
        const flagged = new Set(result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.line));
        for (const [index, probe] of probes.entries()) {
          if (probe.refused) t.ok(flagged.has(index + 1), `refuses ${probe.what}: ${probe.line}`);
          else t.notOk(flagged.has(index + 1), `allows ${probe.what}: ${probe.line}`);
        }
        t.notOk(result!.messages.some((message) => message.fatal), 'the probe parses');
      });
    }
  }
}

t.test('the table names only layers it has', async (t) => {
  const names = new Set(LAYERS.map((layer) => layer.name));
  t.equal(names.size, LAYERS.length, 'each layer once');
  for (const layer of LAYERS) for (const name of layer.mayImport) t.ok(names.has(name), `${layer.name} may import ${name}, a layer of the table`);
});

async function sourceFiles(dir: URL, prefix: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? sourceFiles(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`) : Promise.resolve([`${prefix}${entry.name}`]))),
  );
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

t.test('every file of src/ belongs to exactly one layer, shallow enough for its rule', async (t) => {
  const files = await sourceFiles(new URL('src/', root), 'src/');
  t.ok(files.length > 100, `${files.length} files`);
  for (const file of files) {
    const owners = LAYERS.flatMap((layer) => layer.paths.filter((path) => file === path || file.startsWith(`${path}/`)).map((path) => ({ layer, path })));
    if (owners.length !== 1) {
      t.fail(`${file} belongs to ${owners.length} layers: add its folder to layers.js`);
      continue;
    }
    const depth = file.slice(owners[0]!.path.length).split('/').length - 1;
    if (depth > MAX_DEPTH) t.fail(`${file} is ${depth} folders deep; the layer rule covers ${MAX_DEPTH}`);
  }
});

t.test('docs/architecture.md shows the table as it is', async (t) => {
  const document = await readFile(new URL('docs/architecture.md', root), 'utf8');
  t.ok(document.includes(layerTable()), 'docs/architecture.md is current: run `npm run docs:architecture`');
});
