import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';

/**
 * What the portal benchmarks share: a portal process started from a checkout, pinned to a CPU
 * when asked; autocannon runs of a target with the CPU time the measured processes spent; two
 * targets compared in alternating rounds; the table of such a comparison.
 *
 * Two things about the project's 2-core machine shape the method. Identical 3 s runs differ by
 * up to ±30 %, in periods of seconds to minutes, so targets alternate round by round and the
 * ratio is of medians. And autocannon and the portal take turns on the same cores unless pinned
 * (the portal on CPU 1, the load generator on CPU 0), so what is measured is partly the scheduler.
 */

export const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
export const defaultServer = join(repositoryRoot, 'packages/portal/src/server.ts');

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether this machine can pin: two CPUs or more, and `taskset`. */
export const canPin = cpus().length >= 2 && hasTaskset();

/** The command-line options of every benchmark made of alternating autocannon rounds. */
export const roundOptions = {
  rounds: { type: 'string', default: '9' },
  duration: { type: 'string', default: '3' },
  connections: { type: 'string', default: '50' },
  warmup: { type: 'string', default: '3' },
  'no-pin': { type: 'boolean', default: false },
  'no-write': { type: 'boolean', default: false },
  server: { type: 'string' },
} as const;

/** `roundOptions` as numbers; `pinned` where asked and possible. */
export function roundSettings(args: {
  rounds: string;
  duration: string;
  connections: string;
  warmup: string;
  'no-pin': boolean;
}) {
  return {
    rounds: Number(args.rounds),
    seconds: Number(args.duration),
    connections: Number(args.connections),
    warmup: Number(args.warmup),
    pinned: !args['no-pin'] && canPin,
  };
}

/** Puts this process, the load generator, every thread of it, on CPU 0. */
export function pinLoadGenerator(): void {
  execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });
}

/** Every CPU again, for this process and what it starts from now on (children inherit it). */
export function unpinLoadGenerator(): void {
  const all = `0-${cpus().length - 1}`;
  execFileSync('taskset', ['-a', '-p', '-c', all, String(process.pid)], { stdio: 'ignore' });
}

/** CPU time (user + system) of a process so far, µs, from /proc; null where /proc is missing. */
export function cpuMicrosOf(pid: number | undefined): number | null {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return null;
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond;
}

/** The processes of the PostgreSQL server listening on `port`: the postmaster and its children. */
export function postgresPids(port: number): number[] {
  const parentOf = new Map<number, number>();
  let postmaster: number | undefined;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parentOf.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (command[0]?.endsWith('/postgres') && command.includes(`port=${port}`)) postmaster = pid;
    } catch {
      // gone meanwhile
    }
  }
  if (postmaster === undefined) return [];
  return [postmaster, ...[...parentOf].filter(([, parent]) => parent === postmaster).map(([pid]) => pid)];
}

/** CPU time of several processes, the ones alive now (PostgreSQL starts backends on demand). */
export function cpuMicrosOfAll(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuMicrosOf(pid) ?? 0), 0);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface PortalInstance {
  url: string;
  child: ChildProcess;
  pid: number | undefined;
}

/**
 * `node server.ts` on a free port, on CPU `cpu` when given (taskset execs node, so the child's
 * pid is the portal's). Its request log goes where a deployment's would: away, without a reader
 * to keep up with. With `profileDir` it runs under `node --cpu-prof`.
 */
export async function startPortal(options: {
  dataDir: string;
  env: Record<string, string>;
  cpu?: number | null;
  server?: string;
  profileDir?: string;
}): Promise<PortalInstance> {
  const port = await freePort();
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const command = [
    process.execPath,
    ...profile,
    options.server ?? defaultServer,
    '--port',
    String(port),
    '--data-dir',
    options.dataDir,
  ];
  const pin = options.cpu !== undefined && options.cpu !== null;
  const child = spawn(
    pin ? 'taskset' : command[0]!,
    pin ? ['-c', String(options.cpu), ...command] : command.slice(1),
    {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}:\n${stderr}`);
    const up = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return { url, child, pid: child.pid };
    if (Date.now() > deadline) throw new Error(`the portal did not answer in 60 s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopPortal(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM'); // graceful, so that --cpu-prof writes its profile
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function json(url: string, init: RequestInit & { headers?: Record<string, string> }) {
  const response = await fetch(url, init);
  const body = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${body}`);
  return { response, body: JSON.parse(body) };
}

/**
 * Logs in as the bootstrapped admin and returns what the benchmarks present: workspace `dev`'s
 * Token 1, and a fresh personal access token.
 */
export async function benchCredentials(url: string, email: string, password: string) {
  const login = await json(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = login.response.headers.getSetCookie()[0]!.split(';')[0]!;
  const session = { cookie, 'x-csrf-token': login.body.csrfToken as string };
  const tokens = await json(`${url}/workspaces/dev/streaming-tokens`, { headers: session });
  const pat = await json(`${url}/profile/tokens`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
  });
  return { streamingToken: tokens.body.token1.value as string, pat: pat.body.token as string };
}

export interface Target {
  name: string;
  /** Path and request; the URLs come from where it is sent. */
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  /** CPU time (user + system) per answered request, µs, of each group of measured processes. */
  cpu: Record<string, number | null>;
}

export interface MeasureOptions {
  /** Base URLs; several: autocannon spreads its connections over them in turn. */
  urls: string[];
  connections: number;
  seconds: number;
  /** Groups of processes whose CPU time is reported per request (e.g. portal, postgres). */
  cpu: Record<string, () => number[]>;
}

export async function measure(target: Target, options: MeasureOptions): Promise<Run> {
  const before = Object.fromEntries(
    Object.entries(options.cpu).map(([group, pids]) => [group, pids().map((pid) => [pid, cpuMicrosOf(pid)])]),
  ) as Record<string, [number, number | null][]>;
  const result: Result = await autocannon({
    url: options.urls.map((url) => `${url}${target.path}`),
    connections: options.connections,
    duration: options.seconds,
    method: target.method ?? 'GET',
    headers: target.headers ?? {},
    body: target.body,
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts: the numbers would not be of the route`,
    );
  }
  const answered = result['2xx'];
  const cpu: Record<string, number | null> = {};
  for (const [group, pids] of Object.entries(options.cpu)) {
    const earlier = new Map(before[group]);
    let spent = 0;
    let known = true;
    for (const pid of pids()) {
      const now = cpuMicrosOf(pid);
      if (now === null) known = false;
      // A process started during the run (a PostgreSQL backend) counts from zero.
      else spent += now - (earlier.get(pid) ?? 0);
    }
    cpu[group] = known ? spent / answered : null;
  }
  return { reqPerSec: answered / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpu };
}

export const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const fmt = (n: number): string =>
  Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';

/** Per round, the runs of [baseline, subject]. */
export type Rounds = [Run, Run][];

/**
 * `rounds` rounds of two targets, alternating which goes first (machine noise comes in periods:
 * each round's pair meets the same conditions, and neither target always runs second).
 */
export async function compareAlternating(
  baseline: Target,
  subject: Target,
  rounds: number,
  run: (target: Target) => Promise<Run>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<Rounds> {
  const results: Rounds = [];
  for (let round = 0; round < rounds; round++) {
    const pair = round % 2 === 0 ? [baseline, subject] : [subject, baseline];
    const runs = new Map<Target, Run>();
    for (const target of pair) {
      const measured = await run(target);
      log(
        `round ${round + 1}: ${target.name}: ${fmt(measured.reqPerSec)} req/s; CPU µs per request: ${Object.entries(
          measured.cpu,
        )
          .map(([group, micros]) => `${group} ${micros === null ? 'n/a' : micros.toFixed(1)}`)
          .join(', ')}`,
      );
      runs.set(target, measured);
    }
    results.push([runs.get(baseline)!, runs.get(subject)!]);
  }
  return results;
}

export interface ComparisonSummary {
  lines: string[];
  /** Ratio of the median req/s, subject / baseline. */
  ratio: number;
  /** Lowest and highest per-round ratio. */
  range: [number, number];
}

/** The table of a comparison: each round, the medians, latency and CPU per request. */
export function comparisonTable(
  baselineName: string,
  subjectName: string,
  rounds: Rounds,
  ratioName = 'ratio',
): ComparisonSummary {
  const baselineRuns = rounds.map((round) => round[0]);
  const subjectRuns = rounds.map((round) => round[1]);
  const rps = (runs: Run[]) => median(runs.map((run) => run.reqPerSec));
  const ratios = rounds.map(([a, b]) => b.reqPerSec / a.reqPerSec);
  const ratio = rps(subjectRuns) / rps(baselineRuns);
  const groups = Object.keys(rounds[0]?.[0].cpu ?? {});
  const cpu = (runs: Run[], group: string) =>
    runs.every((run) => run.cpu[group] !== null && run.cpu[group] !== undefined)
      ? median(runs.map((run) => run.cpu[group]!))
      : Number.NaN;
  const both = [baselineRuns, subjectRuns];
  return {
    ratio,
    range: [Math.min(...ratios), Math.max(...ratios)],
    lines: [
      `| round | ${baselineName} req/s | ${subjectName} req/s | ${ratioName} |`,
      '|---|---:|---:|---:|',
      ...rounds.map(
        ([a, b], i) =>
          `| ${i + 1} | ${fmt(a.reqPerSec)} | ${fmt(b.reqPerSec)} | ${(b.reqPerSec / a.reqPerSec).toFixed(2)} |`,
      ),
      `| **median** | **${fmt(rps(baselineRuns))}** | **${fmt(rps(subjectRuns))}** | **${ratio.toFixed(2)}** (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) |`,
      `| latency p50 / p99, ms (median) | ${both.map((runs) => `${median(runs.map((r) => r.p50))} / ${median(runs.map((r) => r.p99))}`).join(' | ')} | |`,
      ...groups.map(
        (group) =>
          `| ${group} CPU µs per request (median) | ${both.map((runs) => fmt(cpu(runs, group))).join(' | ')} | |`,
      ),
    ],
  };
}

/** Where and under what load a benchmark ran, for its section of RESULTS.md. */
export function machineLine(loadAtStart: number): string {
  const end = loadavg()[0]!;
  const shared =
    Math.max(loadAtStart, end) > 1.5
      ? ' The machine was shared with other engineers\u2019 tests while it ran (load average above 1.5 on 2 cores): absolute numbers are lower and noisier than on an idle machine; the alternating rounds let that load fall on both targets alike.'
      : '';
  return `Node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart.toFixed(1)} at the start and ${end.toFixed(1)} at the end.${shared}`;
}
