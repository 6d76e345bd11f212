import { readdir, readFile } from 'node:fs/promises';
import t from 'tap';
import { useCases } from '../../src/domain/use-cases.ts';
import { webhookUseCases } from '../../src/webhooks/use-cases.ts';

// One use case per file (verbNoun(ctx, input)): a reader finds a use case by its name, and a file
// says one thing.
const TOGETHER = new Set<string>();
const root = new URL('../../', import.meta.url);

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(new URL(folder, root), { recursive: true });
  return entries.filter((entry) => entry.endsWith('.ts')).map((entry) => `${folder}${entry}`);
}

t.test('every use case of the domain and of the delivery channels is defined in a file of its own', async (t) => {
  const files = [...(await filesUnder('src/domain/')), ...(await filesUnder('src/webhooks/')), ...(await filesUnder('src/delivery/'))];
  const sources = new Map(await Promise.all(files.map(async (file) => [file, await readFile(new URL(file, root), 'utf8')] as const)));
  const byFile = new Map<string, string[]>();
  for (const name of [...Object.keys(useCases), ...Object.keys(webhookUseCases)]) {
    const definition = new RegExp(`^export (?:async function ${name}\\b|const ${name}\\b)`, 'm');
    const homes = [...sources].filter(([, source]) => definition.test(source)).map(([file]) => file);
    t.equal(homes.length, 1, `${name} is defined once`);
    for (const home of homes) byFile.set(home, [...(byFile.get(home) ?? []), name]);
  }
  for (const [file, names] of byFile) {
    if (!TOGETHER.has(file)) t.equal(names.length, 1, `${file}: ${names.join(', ')}`);
  }
});
