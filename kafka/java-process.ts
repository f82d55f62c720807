// Runs a JVM as a child that cannot outlive this Node process, and stops it politely.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface JavaProcess {
  readonly pid: number;
  /** Settles when the JVM has exited, however that happened. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the JVM printed on stdout/stderr. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL once graceMs have passed; resolves when the JVM is gone. Idempotent. */
  stop(graceMs: number): Promise<void>;
}

export function javaExecutable(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

/**
 * The JVM is exec'd by a small shell that first forks a watchdog reading our end of a pipe. When
 * this Node process dies in any way, SIGKILL included, the pipe closes, the watchdog reads EOF and
 * terminates the JVM (SIGTERM, then SIGKILL after 20 s). A process 'exit' hook alone would miss
 * signals and crashes, and an orphaned broker keeps its ports and half a gigabyte of memory.
 * `$$` cannot name a recycled pid: the watchdog stays in the JVM's process group, and Linux does
 * not reuse a pid while a group of that id has members.
 */
const watchdog = [
  'exec 3<&0',
  '( cat <&3 >/dev/null; kill -TERM $$ 2>/dev/null; n=0',
  '  while kill -0 $$ 2>/dev/null && [ $n -lt 40 ]; do sleep 0.5; n=$((n+1)); done',
  '  kill -KILL $$ 2>/dev/null ) &',
  'exec "$@" 3<&- </dev/null',
].join('\n');

export interface RunJavaOptions {
  args: string[];
  cwd: string;
  /** Called with each line the JVM prints (after the line is stored for recentOutput). */
  onLine?: (line: string) => void;
}

export function runJava({ args, cwd, onLine }: RunJavaOptions): JavaProcess {
  // detached: the JVM leads its own process group, so stop() can also reap the watchdog.
  const child = spawn('/bin/sh', ['-c', watchdog, 'streamgate-java', javaExecutable(), ...args], {
    cwd,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = 200;
  let partial = '';
  const collect = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > keep) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => {
      lines.push(`could not start ${javaExecutable()}: ${error.message}`);
      resolve({ code: null, signal: null });
    });
  });

  const terminateOnExit = () => signal(child, 'SIGTERM');
  process.on('exit', terminateOnExit);

  let stopping: Promise<void> | null = null;
  const stop = (graceMs: number) => {
    stopping ??= (async () => {
      signal(child, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      if ((await Promise.race([exited, gaveUp])) === 'timeout') {
        signal(child, 'SIGKILL');
        await exited;
      }
      clearTimeout(timer);
      // The JVM is gone; its process group still holds the watchdog. End it and our pipe.
      signalGroup(child, 'SIGKILL');
      child.stdin?.destroy();
      process.off('exit', terminateOnExit);
    })();
    return stopping;
  };

  // The watchdog itself exits only when stop() or our exit closes the pipe; after an unplanned JVM
  // exit, clean it up the same way.
  void exited.then(() => {
    signalGroup(child, 'SIGKILL');
    child.stdin?.destroy();
    process.off('exit', terminateOnExit);
  });

  return {
    pid: child.pid ?? -1,
    exited,
    recentOutput: () => [...lines, partial].join('\n').trim(),
    stop,
  };
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, name);
  } catch {
    // Already gone.
  }
}

function signalGroup(child: ChildProcess, name: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    // The group is empty: nothing left to end.
  }
}
