import { readFileSync } from 'node:fs';

/**
 * Whether a process of this host still runs: signal 0 checks without sending anything. EPERM means
 * it runs under another user.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When a process started, as a token that tells it from a later process given the same pid: on
 * Linux the boot id and field 22 of /proc/<pid>/stat (start time in clock ticks since boot).
 * Undefined where there is no /proc (macOS, Windows) or the process is gone: callers then treat a
 * live pid as the lock's holder, the cautious answer.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 is the command in parentheses and may itself hold spaces or parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = fields[22 - 3];
    if (!startTicks || !/^\d+$/.test(startTicks)) return undefined;
    return `${bootId()}:${startTicks}`;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;
/** Ticks since boot repeat after a reboot: the boot id tells boots apart. */
function bootId(): string {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      boot = '';
    }
  }
  return boot;
}
