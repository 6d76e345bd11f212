import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface Profile {
  nodes: { callFrame: CallFrame }[];
}

/**
 * The child runs as a bundle (bench/child-process.ts): point each frame of the bundle back at its
 * TypeScript source through the bundle's source map, so the CPU summary can tell src/ from the
 * packages and DevTools shows the sources.
 */
function toSources(profile: Profile): void {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      const path = url.startsWith('file:') ? `${fileURLToPath(url)}.map` : '';
      maps.set(url, path && existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
    }
    return maps.get(url)!;
  };
  for (const { callFrame } of profile.nodes) {
    const map = callFrame.url.endsWith('.mjs') ? mapOf(callFrame.url) : null;
    const entry = map?.findEntry(callFrame.lineNumber, callFrame.columnNumber);
    if (!entry || !('originalSource' in entry)) continue;
    callFrame.url = new URL(entry.originalSource, callFrame.url).href;
    callFrame.lineNumber = entry.originalLine;
    callFrame.columnNumber = entry.originalColumn;
  }
}

/** CPU profiles of this process on demand, one per scenario, written as .cpuprofile (Chrome DevTools). */
export function profiler() {
  let session: Session | null = null;
  return {
    async start() {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 500 });
      await session.post('Profiler.start');
    },
    async stop(path: string) {
      if (!session) return;
      const { profile } = await session.post('Profiler.stop');
      toSources(profile as unknown as Profile);
      await writeFile(path, JSON.stringify(profile));
      session.disconnect();
      session = null;
    },
  };
}
