import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  benchCredentials,
  compareAlternating,
  comparisonTable,
  machineLine,
  measure,
  type PortalInstance,
  pinLoadGenerator,
  type Rounds,
  roundOptions,
  roundSettings,
  startPortal,
  stopPortal,
  type Target,
} from './portal-load.ts';
import { replaceSection, resultsPath } from './results-file.ts';

/**
 * What authentication costs per request, on one real portal process (SQLite, default settings,
 * logging included) over loopback: GET /healthz (no credential, no database) against
 * GET /workspaces/dev with a streaming token (Bearer Token 1), then with a PAT. Each comparison
 * alternates exactly its two targets, round after round; the ratio is of medians.
 *
 *   node bench/portal-auth.ts [--rounds 9] [--duration 3] [--connections 50] [--warmup 3]
 *                             [--no-pin] [--no-write] [--cpu-prof <dir>] [--server <path to server.ts>]
 *
 * The portal runs on CPU 1 and this process, the load generator, on CPU 0 (unless --no-pin).
 * Besides req/s it reports the portal's own CPU time per request from /proc. Writes its section
 * of bench/RESULTS.md unless --no-write. With --cpu-prof the portal runs under `node --cpu-prof`
 * and leaves its profile in <dir>; --server runs another checkout's portal (before/after).
 */
const { values: args } = parseArgs({
  options: {
    ...roundOptions,
    'cpu-prof': { type: 'string' },
  },
});
const { rounds, seconds, connections, warmup, pinned } = roundSettings(args);
const targets = { streaming: 0.7, pat: 0.5 };

if (pinned) pinLoadGenerator();
const loadAtStart = loadavg()[0]!;

const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-bench-'));
const email = 'admin@example.test';
const password = `pw-${randomBytes(12).toString('hex')}`;
let portal: PortalInstance | undefined;
try {
  portal = await startPortal({
    dataDir,
    env: { STREAMGATE_ADMIN_EMAIL: email, STREAMGATE_ADMIN_PASSWORD: password },
    cpu: pinned ? 1 : null,
    ...(args.server ? { server: resolve(args.server) } : {}),
    ...(args['cpu-prof'] ? { profileDir: args['cpu-prof'] } : {}),
  });
  const { url, pid } = portal;
  const { streamingToken, pat } = await benchCredentials(url, email, password);
  const noop: Target = { name: 'GET /healthz (no-op)', path: '/healthz' };
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
  const run = (target: Target, duration = seconds) =>
    measure(target, { urls: [url], connections, seconds: duration, cpu: { portal: () => [pid!] } });
  for (const target of [noop, streamingTarget, patTarget]) {
    console.error(`warm-up: ${target.name}`);
    await run(target, warmup);
  }
  // One comparison at a time, each of exactly two targets: a third target run in between (the
  // PAT route's heavier work) changes the conditions the next run meets, and so the ratio.
  const streaming = await compareAlternating(noop, streamingTarget, rounds, run);
  const patRounds = await compareAlternating(noop, patTarget, rounds, run);
  const passed = process.argv.slice(2).filter((arg) => arg !== '--no-write');
  const command = ['node bench/portal-auth.ts', ...passed].join(' ');
  const table = report(noop, { streaming, pat: patRounds }, command);
  console.log(table);
  if (!args['no-write']) {
    replaceSection('portal-auth', table);
    console.error(`written to ${resultsPath}`);
  }
} finally {
  if (portal) await stopPortal(portal.child);
  rmSync(dataDir, { recursive: true, force: true });
}

function verdict(ratio: number, target: number): string {
  return `target ≥ ${target.toFixed(2)}: ${ratio >= target ? 'met' : '**not met**'}`;
}

function report(noop: Target, runs: { streaming: Rounds; pat: Rounds }, command: string): string {
  const streaming = comparisonTable(noop.name, 'GET /workspaces/dev (streaming token)', runs.streaming);
  const pat = comparisonTable(noop.name, 'GET /workspaces/dev (PAT)', runs.pat);
  const range = (summary: { range: [number, number] }) =>
    `${summary.range[0].toFixed(2)}–${summary.range[1].toFixed(2)}`;
  return [
    '## Portal: authenticated route vs no-op',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}, ${machineLine(loadAtStart)} ` +
      `autocannon -c ${connections} -d ${seconds} per run after a ${warmup} s warm-up of each target; ` +
      `one portal process (SQLite, default settings, request logging at info) and autocannon on the same machine, over loopback${pinned ? ', the portal pinned to CPU 1 and autocannon to CPU 0' : ', placement left to the kernel (--no-pin)'}. ` +
      `Each comparison is ${rounds} rounds of its two targets, alternating which runs first; ratios are of the medians, with the lowest and highest round.`,
    '',
    ...streaming.lines,
    '',
    `Streaming-token-authenticated / no-op: **${streaming.ratio.toFixed(2)}** (rounds ${range(streaming)}; ${verdict(streaming.ratio, targets.streaming)}).`,
    '',
    'The same with a personal access token, measured after the comparison above. Per request: its ES256 signature verified (or remembered for a minute, keyed by its SHA-256), expiry checked, and one read for the PAT, its owner and the owner’s roles (which the SQLite store remembers until its next write of any kind):',
    '',
    ...pat.lines,
    '',
    `PAT-authenticated / no-op: **${pat.ratio.toFixed(2)}** (rounds ${range(pat)}; ${verdict(pat.ratio, targets.pat)}).`,
    '',
    'Reproduce (from the repository root, Node 24 on PATH):',
    '',
    '```sh',
    command,
    '```',
  ].join('\n');
}
