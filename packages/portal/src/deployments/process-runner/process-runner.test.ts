import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { systemClock } from '../../clock.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { runRunnerContract } from '../runner.contract.ts';
import { createDeploymentLogs } from './deployment-logs.ts';
import { createProcessRunner } from './process-runner.ts';
import { processesWithEnvironment } from './process-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamgate-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const silent = { info() {}, warn() {}, error() {} };

runRunnerContract('process', async (box) => {
  const store = createSqliteStore(join(dir, 'contract.db'));
  await store.migrate();
  const runner = createProcessRunner({
    store,
    box,
    clock: systemClock,
    logger: silent,
    options: {
      logsDir: join(dir, 'contract-logs'),
      logMaxBytes: 1024 * 1024,
      portalUrl: 'http://portal.test',
      readyMs: 300,
      stopGraceMs: 2000,
      tickMs: 100,
    },
  });
  await runner.start();
  return {
    store,
    box,
    runner,
    forever: ['node', '-e', 'setInterval(() => {}, 1000)'],
    async close() {
      await runner.stop({ stopDeployments: true });
      await store.close();
    },
  };
});

describe('process runner: deployment logs', () => {
  it('keeps a size cap by rotating into one older file, and tails across both', () => {
    const logs = createDeploymentLogs({ dir: join(dir, 'logs'), maxBytes: 4096 });
    for (let i = 0; i < 300; i++) logs.note('dep-a', `line ${i} ${'x'.repeat(20)}`);
    logs.rotateIfLarge('dep-a');
    const current = readFileSync(join(dir, 'logs', 'dep-a', 'output.log'), 'utf8');
    const older = readFileSync(join(dir, 'logs', 'dep-a', 'output.log.1'), 'utf8');
    assert.equal(current, '');
    assert.match(older, /line 299 /);
    logs.note('dep-a', 'after rotation');
    const tail = logs.tail('dep-a', 3);
    assert.match(tail, /line 298 .*\n.*line 299 .*\n.*after rotation\n$/);
  });

  it('follows a file that is written to, and stops when aborted', async () => {
    const logs = createDeploymentLogs({ dir: join(dir, 'logs'), maxBytes: 1 << 20 });
    logs.note('dep-b', 'first');
    const abort = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const chunk of logs.follow('dep-b', 10, abort.signal)) {
        seen.push(chunk);
        if (seen.join('').includes('third')) abort.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    logs.note('dep-b', 'second');
    logs.note('dep-b', 'third');
    await reading;
    assert.match(seen.join(''), /first\n[\s\S]*second\n[\s\S]*third\n/);
  });
});

describe('process runner: stopping and restarting the portal', () => {
  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const { store, runner, deploy, until, box: _box } = await setup('grace', { stopGraceMs: 1000 });
    const d = await deploy([
      'node',
      '-e',
      "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000)",
    ]);
    await until(d, (now) => now.observed.status === 'Running');
    await store.updateDeployment(d.workspaceId, d.deploymentId, {
      desiredState: 'stopped',
      updatedAt: new Date(),
    });
    runner.poke();
    const stopped = await until(d, (now) => now.observed.status === 'Stopped');
    assert.ok(stopped.length > 1);
    const log = await runner.logs(d, 20);
    assert.match(log, /ignoring SIGTERM/);
    assert.match(log, /stopped \(signal SIGKILL\)/);
    await runner.stop({ stopDeployments: true });
    await store.close();
  });

  it('a new runner adopts the instances a crashed one left, and kills any it never recorded', async () => {
    const first = await setup('adopt');
    const d = await first.deploy(['node', '-e', 'setInterval(() => {}, 1000)']);
    await first.until(d, (now) => now.observed.status === 'Running');
    const [instance] = (await first.store.findDeployment(d.workspaceId, d.deploymentId))!.observed.instances;
    await first.runner.stop({ stopDeployments: false }); // as a crash leaves them: still running
    // An instance the crashed portal started but never recorded: same runner marker, no record.
    const { spawn } = await import('node:child_process');
    const stray = spawn('node', ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, STREAMGATE_RUNNER_ID: first.runnerId },
    });
    stray.unref();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(processesWithEnvironment('STREAMGATE_RUNNER_ID', first.runnerId).includes(stray.pid!));

    const second = createProcessRunner({ ...first.deps, logger: silent });
    await second.start();
    const now = (await first.store.findDeployment(d.workspaceId, d.deploymentId))!;
    assert.deepEqual(
      now.observed.instances.map((i) => i.pid),
      [instance!.pid],
      'the same process, adopted, not a second one',
    );
    await first.until(d, () => !isAlive(stray.pid!));
    assert.match(await second.logs(d, 20), /adopted replica 0/);
    await second.stop({ stopDeployments: true });
    assert.equal(isAlive(instance!.pid), false, 'a graceful stop stops the adopted instance too');
    await first.store.close();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

async function setup(name: string, overrides: { stopGraceMs?: number } = {}) {
  const { createSecretBox } = await import('../../crypto/secret-box.ts');
  const { randomBytes } = await import('node:crypto');
  const { sha256Hex } = await import('../../crypto/hashing.ts');
  const box = createSecretBox(randomBytes(32));
  const store = createSqliteStore(join(dir, `${name}.db`));
  await store.migrate();
  const workspaceId = name;
  const tokenId = `st-${name}`;
  await store.createWorkspace({
    workspace: { workspaceId, name, createdAt: new Date() },
    tokens: [
      {
        id: tokenId,
        workspaceId,
        slot: 1,
        tokenHash: `h1-${name}`,
        sealedValue: box.seal('t1', `streaming-token:${workspaceId}:${tokenId}`),
        createdAt: new Date(),
        deactivatedAt: null,
      },
      {
        id: `${tokenId}-2`,
        workspaceId,
        slot: 2,
        tokenHash: `h2-${name}`,
        sealedValue: box.seal('t2', `streaming-token:${workspaceId}:${tokenId}-2`),
        createdAt: new Date(),
        deactivatedAt: null,
      },
    ],
  });
  const logsDir = join(dir, `${name}-logs`);
  const deps = {
    store,
    box,
    clock: systemClock,
    logger: silent,
    options: {
      logsDir,
      logMaxBytes: 1 << 20,
      portalUrl: 'http://portal.test',
      readyMs: 300,
      stopGraceMs: overrides.stopGraceMs ?? 2000,
      tickMs: 100,
    },
  };
  const runner = createProcessRunner(deps);
  await runner.start();
  let serial = 0;
  return {
    store,
    box,
    runner,
    deps,
    runnerId: sha256Hex(`process-runner:${logsDir}`).slice(0, 24),
    async deploy(command: string[]) {
      const record = {
        deploymentId: `dep-${name}-${++serial}`,
        workspaceId,
        name: `svc${serial}`,
        spec: { command, workingDirectory: null, variables: {}, replicas: 1 },
        specVersion: 1,
        desiredState: 'running' as const,
        tokenId,
        generation: 1,
        observed: {
          status: 'Starting' as const,
          statusDetail: null,
          restartCount: 0,
          lastExit: null,
          instances: [],
        },
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      await store.insertDeployment(record);
      runner.poke();
      return record;
    },
    async until(
      d: { workspaceId: string; deploymentId: string },
      done: (now: Awaited<ReturnType<typeof store.findDeployment>> & object) => boolean,
      ms = 20_000,
    ) {
      const seen = [];
      const deadline = Date.now() + ms;
      for (;;) {
        const now = (await store.findDeployment(d.workspaceId, d.deploymentId))!;
        seen.push(now);
        if (done(now)) return seen;
        if (Date.now() > deadline) throw new Error(`timed out; last seen ${JSON.stringify(now.observed)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
