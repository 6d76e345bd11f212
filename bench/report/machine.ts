import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type { Sql } from '../database.ts';

export interface MachineNotes {
  date: string;
  commandLine: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  loadAverage: number[];
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  commit: string;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** What the numbers depend on, read from the machine and the server at the start of the run. */
export async function machineNotes(sql: Sql, commandLine: string): Promise<MachineNotes> {
  const [version] = await sql<{ version: string }[]>`select version()`;
  const settings = await sql<{ name: string; setting: string; unit: string | null }[]>`
    select name, setting, unit from pg_settings
    where name in ('shared_buffers', 'max_connections', 'synchronous_commit', 'work_mem', 'effective_cache_size', 'jit', 'max_worker_processes')`;
  const changed = git(['status', '--porcelain']).split('\n').filter(Boolean).length;
  return {
    date: new Date().toISOString(),
    commandLine,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    postgres: version?.version.split(',')[0] ?? 'unknown',
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, `${s.setting}${s.unit ? ` × ${s.unit}` : ''}`])),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${changed ? ` with ${changed} uncommitted change(s) in the work tree` : ''}`,
  };
}
