import { readdirSync, readFileSync } from 'node:fs';

/**
 * What Linux's /proc tells about processes: enough to recognise our own instances after the
 * portal restarted (a pid alone may have been reused; pid + start time may not) and to find
 * instances a crashed portal never got to record.
 */

/** The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function processStartTicks(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return null; // a zombie has exited
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** The process group of a live process (field 5 of /proc/<pid>/stat), or null. */
export function processGroupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    return Number.isInteger(group) ? group : null;
  } catch {
    return null;
  }
}

export function isSameProcess(pid: number, startTicks: string): boolean {
  return processStartTicks(pid) === startTicks;
}

/** The pids whose initial environment contains `NAME=value` exactly. */
export function processesWithEnvironment(name: string, value: string): number[] {
  const wanted = Buffer.from(`${name}=${value}\0`);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`);
      if (environ.indexOf(wanted) === 0 || environ.includes(Buffer.concat([Buffer.from('\0'), wanted])))
        found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Signals the whole process group (instances are group leaders), falling back to the pid. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
