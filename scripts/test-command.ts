// `./streamgate test`: lint, type-check, install and start what the tests need, run every test.
import { spawnSync } from 'node:child_process';
import { existsSync, globSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureKafkaJars } from '../kafka/kafka-jars.ts';
import { ensureLegacyPythonVenv, ensurePythonVenv } from '../packages/client/test-support/python-venv.ts';
import { ensureControlPlaneBinaries } from '../packages/portal/test-support/kubernetes/control-plane-build.ts';
import { ensurePostgresInstalled, startPostgres } from '../packages/portal/test-support/postgres-cluster.ts';
import { ensureSchemathesis } from '../packages/portal/test-support/schemathesis.ts';
import { buildWebIfStale } from './web-build.ts';

const root = resolve(import.meta.dirname, '..');

const testFilePatterns = [
  'packages/*/src/**/*.test.ts',
  'packages/*/interop/**/*.test.ts',
  'packages/web/e2e/**/*.test.ts',
  'kafka/**/*.test.ts',
  'scripts/**/*.test.ts',
];

function step(title: string): () => void {
  const started = Date.now();
  process.stdout.write(`\n== ${title}\n`);
  return () => process.stdout.write(`   (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

/** Debian's Chromium drives the browser tests; no test tool may download a browser of its own. */
function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  if (run('apt-get', ['update', '-qq']) !== 0 || run('apt-get', ['install', '-y', '-qq', 'chromium']) !== 0) {
    throw new Error('could not install chromium from the Debian packages');
  }
}

export async function runSetup(): Promise<void> {
  let done = step(
    'Installing what the tests need (PostgreSQL, Kafka jars, Chromium, Python quixstreams 3.x and 0.5.7, schemathesis)',
  );
  await ensurePostgresInstalled();
  await ensureKafkaJars();
  ensureChromium();
  await ensurePythonVenv();
  await ensureLegacyPythonVenv();
  await ensureSchemathesis();
  done();
  // Go builds etcd, kube-apiserver and kube-controller-manager once per version (~11 min on two
  // idle cores, ~19 min on a busy machine), into ~/.cache/streamgate/kubernetes/; later runs find them.
  done = step('The Kubernetes test control plane (built once from the Go module proxy, then cached)');
  await ensureControlPlaneBinaries((line) => process.stdout.write(`   ${line}\n`));
  done();
  done = step('Building the web UI and the client library');
  await buildWebIfStale();
  // The client's declarations import the contract's: both are built as they are published.
  for (const workspace of ['packages/contract', 'packages/client']) {
    if (run('npm', ['run', 'build', '--silent', '-w', workspace]) !== 0)
      throw new Error(`${workspace} failed to build`);
  }
  done();
}

export async function runTests(args: string[]): Promise<number> {
  let done = step('Lint and format check (biome)');
  if (run('biome', ['check', '.']) !== 0) return 1;
  done();

  done = step('Type check (tsc --noEmit)');
  for (const project of ['tsconfig.json', 'packages/client/tsconfig.json', 'packages/web/tsconfig.json']) {
    if (run('tsc', ['--noEmit', '-p', project]) !== 0) return 1;
  }
  done();

  await runSetup();

  done = step('Starting a PostgreSQL cluster for the tests');
  const postgres = await startPostgres();
  done();

  const files = testFilePatterns
    .flatMap((pattern) => globSync(pattern, { cwd: root }))
    .filter((file) => !file.includes('node_modules'))
    .sort();
  const selected = args.length > 0 ? files.filter((file) => args.some((arg) => file.includes(arg))) : files;
  done = step(`Running ${selected.length} test files (node:test)`);
  let status: number;
  try {
    status = run(
      'node',
      ['--test', '--test-concurrency=1', '--test-reporter=spec', '--test-timeout=900000', ...selected],
      { ...process.env, STREAMGATE_TEST_POSTGRES_URL: postgres.url },
    );
  } finally {
    await postgres.stop();
  }
  done();
  process.stdout.write(status === 0 ? '\nstreamgate: all tests passed\n' : '\nstreamgate: TESTS FAILED\n');
  return status === 0 ? 0 : 1;
}
