import { readFileSync, writeFileSync } from 'node:fs';

export interface MemoryNow {
  /** Peak resident set (VmHWM) since start or the last reset, bytes. */
  peakRss: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** C++ objects and buffers held by JavaScript objects. */
  external: number;
}

/** This process's memory now, and its peak resident set. */
export function memory(): MemoryNow {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    return { peakRss: kb('VmHWM'), rss: kb('VmRSS'), heapUsed, heapTotal, external };
  } catch {
    // Not Linux: the peak since start is all there is.
    return { peakRss: process.resourceUsage().maxRSS * 1024, rss, heapUsed, heapTotal, external };
  }
}

/** Resets VmHWM to the current RSS (Linux: clear_refs 5), so each scenario gets its own peak. */
export function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
