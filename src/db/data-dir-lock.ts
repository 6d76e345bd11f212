import { readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive, processStartTime } from './process-alive.ts';

/** PGlite serves one process: a second one on the same data directory would keep its own copy. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

interface Holder {
  pid: number;
  hostname: string;
  startedAt: string;
  /** The process's own start (process-alive.ts processStartTime), where the system tells it: a reused pid shows another. */
  processStart?: string;
}

const LOCK_FILE = 'tandem.lock';

async function holderOf(path: string): Promise<Holder | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt), ...(typeof parsed.processStart === 'string' ? { processStart: parsed.processStart } : {}) };
  } catch {
    return null; // gone, or half written by a process killed while writing it: stale
  }
}

/**
 * Takes the data directory for this process: a lock file naming its pid, host and start time,
 * created exclusively. A lock whose process is dead on this host is stale and taken over, and so is
 * one whose pid now belongs to a process started later (a reused pid: compared by the process's
 * start time where the system tells it, /proc on Linux; elsewhere a live pid is taken as the holder).
 * A live holder (or one of another host, which cannot be checked) is refused with a message naming both.
 * Returns the release, which removes the file if it is still this process's.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const processStart = processStartTime(process.pid);
  const mine: Holder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), ...(processStart ? { processStart } : {}) };
  const text = JSON.stringify(mine);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, text, { flag: 'wx' });
      return async () => {
        if ((await readFile(path, 'utf8').catch(() => '')) === text) await unlink(path).catch(() => {});
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await holderOf(path);
    if (holder && holder.hostname !== mine.hostname) {
      throw new DataDirLockedError(
        `DATA_DIR ${dir} is locked by process ${holder.pid} on host ${holder.hostname} (since ${holder.startedAt}). PGlite serves one process; ` +
          `if that host no longer runs Tandem, delete ${path}.`,
      );
    }
    // Our own pid in a lock older than this process: a previous run in a container (always pid 1).
    const earlierRunOfOurPid = holder?.pid === process.pid && Date.parse(holder.startedAt) < Date.now() - process.uptime() * 1000 - 1000;
    // The pid runs, but a process started at another time than the lock's holder: the pid was reused.
    const runningNow = holder?.processStart === undefined ? undefined : processStartTime(holder.pid);
    const reusedPid = runningNow !== undefined && runningNow !== holder?.processStart;
    if (holder && processAlive(holder.pid) && !earlierRunOfOurPid && !reusedPid) {
      throw new DataDirLockedError(
        `DATA_DIR ${dir} is in use by process ${holder.pid} (since ${holder.startedAt}). PGlite serves one process: stop that one first, or set DATABASE_URL to share a PostgreSQL.`,
      );
    }
    await unlink(path).catch(() => {}); // stale: its process is gone, or its pid is another process's now
  }
  throw new DataDirLockedError(`DATA_DIR ${dir}: could not take ${path}; another process keeps taking it.`);
}
