import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { replaceSection, resultsPath } from './results-file.ts';

/**
 * What authentication costs per request, on one real portal process (SQLite, default settings,
 * logging included) over loopback: GET /healthz (no credential, no database) against
 * GET /workspaces/dev with a streaming token (Bearer Token 1) and with a PAT. The targets
 * alternate within every round, so machine noise hits them all alike; the ratio is of medians.
 *
 *   node bench/portal-auth.ts [--rounds 9] [--duration 3] [--connections 50] [--warmup 3]
 *                             [--no-pin] [--no-write] [--cpu-prof <dir>] [--server <path to server.ts>]
 *
 * With two CPUs or more (and `taskset`), the portal runs on CPU 1 and this process, the load
 * generator, on CPU 0: otherwise autocannon and the portal take turns on the same cores, and
 * what is measured is partly the scheduler. --no-pin leaves placement to the kernel.
 * Besides req/s it reports the portal's own CPU time per request from /proc. Writes its section of bench/RESULTS.md unless --no-write. With --cpu-prof the
 * portal runs under `node --cpu-prof` and leaves its profile in <dir>; --server runs another
 * checkout's portal (before/after comparisons).
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    duration: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
    'no-pin': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    server: { type: 'string' },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const connections = Number(args.connections);
const warmup = Number(args.warmup);
const target = 0.7;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
/** CPU 0 for autocannon (this process, every thread of it), CPU 1 for the portal. */
const pinned = !args['no-pin'] && cpus().length >= 2 && hasTaskset();
if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

const root = fileURLToPath(new URL('..', import.meta.url));
const serverEntry = args.server ? resolve(args.server) : join(root, 'packages/portal/src/server.ts');

interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
}

interface Run {
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Portal CPU time (user + system) per answered request, µs; null where /proc is missing. */
  cpuMicros: number | null;
}

/** The portal's CPU time so far, µs, from /proc: immune to how busy the load generator is. */
function cpuMicrosOf(pid: number | undefined): number | null {
  const path = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(path)) return null;
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ, fixed at 100 on Linux for /proc
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / ticksPerSecond;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function startPortal(dataDir: string, password: string) {
  const port = await freePort();
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const command = [process.execPath, ...profile, serverEntry, '--port', String(port), '--data-dir', dataDir];
  const child = spawn(pinned ? 'taskset' : command[0]!, pinned ? ['-c', '1', ...command] : command.slice(1), {
    env: {
      ...process.env,
      STREAMGATE_ADMIN_EMAIL: 'admin@example.test',
      STREAMGATE_ADMIN_PASSWORD: password,
    },
    // Its request log goes where a deployment's would: away, without a reader to keep up with.
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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
    if (up) return { url, child };
    if (Date.now() > deadline) throw new Error(`the portal did not answer in 60 s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopPortal(child: ChildProcess): Promise<void> {
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

/** Logs in as the bootstrapped admin and returns the two credentials the benchmark presents. */
async function credentials(url: string, password: string) {
  const login = await json(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@example.test', password }),
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

async function measure(url: string, pid: number | undefined, target: Target, seconds: number): Promise<Run> {
  const cpuBefore = cpuMicrosOf(pid);
  const result: Result = await autocannon({
    url: `${url}${target.path}`,
    connections,
    duration: seconds,
    headers: target.headers,
  });
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
    throw new Error(
      `${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts: the numbers would not be of the route`,
    );
  }
  const cpuAfter = cpuMicrosOf(pid);
  return {
    reqPerSec: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMicros: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / result['2xx'],
  };
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Comparison {
  /** What the no-op is compared with. */
  subject: Target;
  /** Per round: [no-op, subject]. */
  runs: [Run, Run][];
}

function comparisonTable(
  noop: Target,
  comparison: Comparison,
): { lines: string[]; ratio: number; cpuRatio: string } {
  const noopRuns = comparison.runs.map((round) => round[0]);
  const subjectRuns = comparison.runs.map((round) => round[1]);
  const rps = (xs: Run[]) => median(xs.map((run) => run.reqPerSec));
  const cpu = (xs: Run[]) =>
    xs.every((run) => run.cpuMicros !== null) ? median(xs.map((run) => run.cpuMicros!)) : null;
  const ratio = rps(subjectRuns) / rps(noopRuns);
  const noopCpu = cpu(noopRuns);
  const subjectCpu = cpu(subjectRuns);
  const cpuRatio = noopCpu !== null && subjectCpu !== null ? (noopCpu / subjectCpu).toFixed(2) : 'n/a';
  const both = [noopRuns, subjectRuns];
  return {
    ratio,
    cpuRatio,
    lines: [
      `| round | ${noop.name} req/s | ${comparison.subject.name} req/s | ratio |`,
      '|---|---:|---:|---:|',
      ...comparison.runs.map(
        ([a, b], i) =>
          `| ${i + 1} | ${fmt(a.reqPerSec)} | ${fmt(b.reqPerSec)} | ${(b.reqPerSec / a.reqPerSec).toFixed(2)} |`,
      ),
      `| **median** | **${fmt(rps(noopRuns))}** | **${fmt(rps(subjectRuns))}** | **${ratio.toFixed(2)}** |`,
      `| latency p50 / p99, ms (median) | ${both.map((xs) => `${median(xs.map((r) => r.p50))} / ${median(xs.map((r) => r.p99))}`).join(' | ')} | |`,
      `| portal CPU µs per request (median) | ${both.map((xs) => fmt(cpu(xs) ?? Number.NaN)).join(' | ')} | ${cpuRatio} |`,
    ],
  };
}

function report(noop: Target, streaming: Comparison, pat: Comparison, command: string): string {
  const main = comparisonTable(noop, streaming);
  const patTable = comparisonTable(noop, pat);
  const lines = [
    '## Portal: authenticated route vs no-op',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()[0]!.toFixed(1)} at the end; ` +
      `autocannon -c ${connections} -d ${duration} per run after a ${warmup} s warm-up of each target; ` +
      `one portal process (SQLite, default settings, request logging at info) and autocannon on the same machine, over loopback${pinned ? ', the portal pinned to CPU 1 and autocannon to CPU 0' : ', placement left to the kernel (--no-pin)'}. ` +
      `Each comparison is ${rounds} rounds of its two targets, alternating which runs first; ratios are of the medians.`,
    '',
    ...main.lines,
    '',
    `Streaming-token-authenticated / no-op, ratio of the median req/s: **${main.ratio.toFixed(2)}** ` +
      `(target ≥ ${target.toFixed(2)}: ${main.ratio >= target ? 'met' : '**not met**'}). ` +
      `By the portal's CPU time per request (no-op / authenticated, the capacity ratio with a core to itself): ${main.cpuRatio}.`,
    '',
    'The same with a personal access token (an ES256 signature to verify and three reads per request), measured after the comparison above:',
    '',
    ...patTable.lines,
    '',
    'Reproduce (from the repository root, Node 24 on PATH):',
    '',
    '```sh',
    command,
    '```',
  ];
  return lines.join('\n');
}

const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-bench-'));
const password = `pw-${randomBytes(12).toString('hex')}`;
let child: ChildProcess | undefined;
try {
  const portal = await startPortal(dataDir, password);
  child = portal.child;
  const { streamingToken, pat } = await credentials(portal.url, password);
  const noop: Target = { name: 'GET /healthz (no-op)', path: '/healthz', headers: {} };
  const streamingTarget: Target = {
    name: 'GET /workspaces/dev (streaming token)',
    path: '/workspaces/dev',
    headers: { authorization: `Bearer ${streamingToken}` },
  };
  const patTarget: Target = {
    name: 'GET /workspaces/dev (PAT)',
    path: '/workspaces/dev',
    headers: { authorization: `Bearer ${pat}` },
  };
  for (const t of [noop, streamingTarget, patTarget]) {
    console.error(`warm-up: ${t.name}`);
    await measure(portal.url, child.pid, t, warmup);
  }
  // One comparison at a time, each of exactly two targets: a third target run in between (the
  // PAT route's heavy ES256 work) changes the conditions the next run meets, and so the ratio.
  const compare = async (subject: Target): Promise<Comparison> => {
    const runs: [Run, Run][] = [];
    for (let round = 0; round < rounds; round++) {
      const pair = round % 2 === 0 ? [noop, subject] : [subject, noop];
      const results = new Map<Target, Run>();
      for (const t of pair) {
        const run = await measure(portal.url, child!.pid, t, duration);
        console.error(
          `round ${round + 1}: ${t.name}: ${fmt(run.reqPerSec)} req/s, ${fmt(run.cpuMicros ?? Number.NaN)} µs portal CPU per request`,
        );
        results.set(t, run);
      }
      runs.push([results.get(noop)!, results.get(subject)!]);
    }
    return { subject, runs };
  };
  const streaming = await compare(streamingTarget);
  const patComparison = await compare(patTarget);
  const passed = process.argv.slice(2).filter((arg) => arg !== '--no-write');
  const command = ['node bench/portal-auth.ts', ...passed].join(' ');
  const table = report(noop, streaming, patComparison, command);
  console.log(table);
  if (!args['no-write']) {
    replaceSection('portal-auth', table);
    console.error(`written to ${resultsPath}`);
  }
} finally {
  if (child) await stopPortal(child);
  rmSync(dataDir, { recursive: true, force: true });
}
