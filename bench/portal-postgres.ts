import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startPostgres } from '../packages/portal/test-support/postgres-cluster.ts';
import {
  benchCredentials,
  compareAlternating,
  comparisonTable,
  machineLine,
  measure,
  type PortalInstance,
  pinLoadGenerator,
  postgresPids,
  type Rounds,
  roundOptions,
  roundSettings,
  startPortal,
  stopPortal,
  type Target,
  unpinLoadGenerator,
} from './portal-load.ts';
import { replaceSection, resultsPath } from './results-file.ts';

/**
 * The streaming-token route on PostgreSQL, where nothing about a token is cached (every instance
 * must refuse a rotated token on its very next request), measured on real portal processes:
 *  1. one portal: GET /healthz (no-op) against GET /workspaces/dev with Bearer Token 1, in
 *     alternating rounds, the portal pinned to CPU 1 and autocannon to CPU 0 (PostgreSQL where
 *     the kernel puts it); req/s, and the CPU time per request of the portal and of PostgreSQL;
 *  2. scale-out: two portal instances on the same database, the streaming-token route sent to
 *     one of them and to both (autocannon spreads its connections over the two URLs in turn), in
 *     alternating rounds, placement left to the kernel for everything.
 *
 *   node bench/portal-postgres.ts [--rounds 9] [--duration 3] [--connections 50] [--warmup 3]
 *                                 [--no-scale-out] [--no-pin] [--no-write] [--server <path>]
 *
 * PostgreSQL is a throwaway cluster from test-support (the Debian binaries, installed on first
 * use; durability off: fsync, synchronous_commit and full_page_writes), on loopback TCP.
 */
const { values: args } = parseArgs({
  options: {
    ...roundOptions,
    'no-scale-out': { type: 'boolean', default: false },
  },
});
const { rounds, seconds, connections, warmup, pinned } = roundSettings(args);
const target = 0.5;
const loadAtStart = loadavg()[0]!;

const cluster = await startPostgres();
const databaseUrl = await cluster.createDatabase();
const postgresPort = Number(new URL(databaseUrl).port);
const email = 'admin@example.test';
const password = `pw-${randomBytes(12).toString('hex')}`;
const env = {
  STREAMGATE_DATABASE_URL: databaseUrl,
  STREAMGATE_SECRET_KEY: randomBytes(32).toString('base64'),
  STREAMGATE_ADMIN_EMAIL: email,
  STREAMGATE_ADMIN_PASSWORD: password,
};
const dataDirs: string[] = [];
const instances: PortalInstance[] = [];
const start = async (cpu: number | null) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-bench-'));
  dataDirs.push(dataDir);
  const instance = await startPortal({
    dataDir,
    env,
    cpu,
    ...(args.server ? { server: resolve(args.server) } : {}),
  });
  instances.push(instance);
  return instance;
};
const noop: Target = { name: 'GET /healthz (no-op)', path: '/healthz' };
const postgres = () => postgresPids(postgresPort);

try {
  // 1. One instance, pinned as bench/portal-auth.ts is.
  if (pinned) pinLoadGenerator();
  const a = await start(pinned ? 1 : null);
  const { streamingToken } = await benchCredentials(a.url, email, password);
  const streaming: Target = {
    name: 'GET /workspaces/dev (streaming token)',
    path: '/workspaces/dev',
    headers: { authorization: `Bearer ${streamingToken}` },
  };
  const onA = (t: Target, duration = seconds) =>
    measure(t, {
      urls: [a.url],
      connections,
      seconds: duration,
      cpu: { portal: () => [a.pid!], PostgreSQL: postgres },
    });
  for (const t of [noop, streaming]) {
    console.error(`warm-up: ${t.name}`);
    await onA(t, warmup);
  }
  const single = await compareAlternating(noop, streaming, rounds, onA);
  if (pinned) unpinLoadGenerator();

  // 2. Scale-out: a second instance; the same route on one and on both, nobody pinned.
  let scaleOut: Rounds | null = null;
  if (!args['no-scale-out']) {
    // Moved off CPU 1: in this part the kernel places every process.
    if (pinned) {
      await stopPortal(a.child);
      instances.splice(instances.indexOf(a), 1);
    }
    const first = pinned ? await start(null) : a;
    const second = await start(null);
    const both = [first, second];
    const run =
      (urls: string[]) =>
      (t: Target, duration = seconds) =>
        measure(t, {
          urls,
          connections,
          seconds: duration,
          cpu: {
            portals: () => both.map((instance) => instance.pid!),
            PostgreSQL: postgres,
            autocannon: () => [process.pid],
          },
        });
    const oneInstance: Target = { ...streaming, name: 'one instance' };
    const twoInstances: Target = { ...streaming, name: 'two instances' };
    const send = (t: Target, duration?: number) =>
      (t === oneInstance ? run([first.url]) : run(both.map((instance) => instance.url)))(t, duration);
    for (const t of [oneInstance, twoInstances]) {
      console.error(`warm-up: ${t.name}`);
      await send(t, warmup);
    }
    scaleOut = await compareAlternating(oneInstance, twoInstances, rounds, send);
  }

  const passed = process.argv.slice(2).filter((arg) => arg !== '--no-write');
  const section = report(single, scaleOut, ['node bench/portal-postgres.ts', ...passed].join(' '));
  console.log(section);
  if (!args['no-write']) {
    replaceSection('portal-postgres', section);
    console.error(`written to ${resultsPath}`);
  }
} finally {
  await Promise.allSettled(instances.map((instance) => stopPortal(instance.child)));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  await cluster.stop();
}

function report(single: Rounds, scaleOut: Rounds | null, command: string): string {
  const one = comparisonTable(noop.name, 'GET /workspaces/dev (streaming token)', single);
  const lines = [
    '## Portal on PostgreSQL: the streaming-token route, one and two instances',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)}, ${machineLine(loadAtStart)} ` +
      'PostgreSQL 15 from test-support (a throwaway cluster on loopback TCP, durability off), the portal with its default pool of 10 connections and request logging at info; ' +
      `autocannon -c ${connections} -d ${seconds} per run after a ${warmup} s warm-up of each target, ${rounds} rounds alternating which runs first; ratios are of the medians, with the lowest and highest round.`,
    '',
    `### One instance${pinned ? ' (the portal pinned to CPU 1, autocannon to CPU 0, PostgreSQL placed by the kernel)' : ''}`,
    '',
    'Nothing about a token is cached on PostgreSQL: each request reads its token with its workspace in one prepared statement, and the reads of requests that arrive together go in one statement (`storage/postgres/batched-lookup.ts`).',
    '',
    ...one.lines,
    '',
    `Streaming-token-authenticated on PostgreSQL / no-op: **${one.ratio.toFixed(2)}** (rounds ${one.range[0].toFixed(2)}–${one.range[1].toFixed(2)}; target ≥ ${target.toFixed(2)}: ${one.ratio >= target ? 'met' : '**not met**'}).`,
  ];
  if (scaleOut) {
    const two = comparisonTable('one instance', 'two instances', scaleOut, 'two / one');
    lines.push(
      '',
      '### Scale-out: two instances on one database',
      '',
      `The streaming-token route sent to one instance, then to both (autocannon's ${connections} connections spread over the two URLs in turn), with the second instance idle during the one-instance runs. Every process placed by the kernel on the machine's two cores; the CPU rows say where those cores went (CPU µs per request × req/s is the cores used).`,
      '',
      ...two.lines,
      '',
      `Two instances / one: **${two.ratio.toFixed(2)}** (rounds ${two.range[0].toFixed(2)}–${two.range[1].toFixed(2)}).`,
    );
  }
  lines.push('', 'Reproduce (from the repository root, Node 24 on PATH):', '', '```sh', command, '```');
  return lines.join('\n');
}
