// The files the repository generates (openapi.yaml, docs/permissions.md, docs/architecture.md, the
// GraphQL types): each script writes its file, or with --check compares it with what is committed,
// so CI fails when one is stale.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

export async function writeOrCheck(target: URL, content: string, command: string): Promise<void> {
  const name = fileURLToPath(target).slice(fileURLToPath(root).length);
  if (process.argv.includes('--check')) {
    if ((await readFile(target, 'utf8').catch(() => '')) !== content) {
      console.error(`${name} is stale: run \`${command}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${name} is current.`);
  } else {
    await mkdir(new URL('.', target), { recursive: true });
    await writeFile(target, content);
    console.log(`wrote ${name}`);
  }
}
