import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  totalMs: number;
  /** Self time by package (node_modules/<name>), "src" for the app, or V8's own entries ((garbage collector), (idle), …). */
  byPackage: { name: string; ms: number; share: number }[];
  /** Self time by function, the heaviest first. */
  byFunction: { name: string; ms: number; share: number }[];
}

function packageOf(url: string): string {
  if (!url) return '(native / V8)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) return match[1]!;
  if (url.includes('/src/')) return 'src (the app)';
  if (url.includes('/bench/')) return 'bench child';
  if (url.startsWith('node:')) return 'node core';
  return url.split('/').slice(-2).join('/');
}

/** Where the CPU went while the app served one scenario: self time per package and per function. */
export async function summariseCpuProfile(path: string, top = 15): Promise<CpuSummary> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    const special = frame.functionName.startsWith('(') ? frame.functionName : null;
    const pkg = special ?? packageOf(frame.url);
    const fn = special ?? `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/[^/]+\//, '')}:${frame.lineNumber + 1}`;
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
    total += ms;
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / total }));
  return { totalMs: total, byPackage: ranked(packages), byFunction: ranked(functions) };
}
