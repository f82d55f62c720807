import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setImmediate } from 'node:timers/promises';
import { type CrashEngine, postgresEngine, sqliteEngine } from '../../test-support/crash-engines.ts';
import { deploymentProcesses, killDeploymentProcesses } from '../../test-support/deployment-processes.ts';
import {
  bearer,
  login,
  readPair,
  type SessionHeaders,
  send,
  type TokenPairSeen,
} from '../../test-support/portal-client.ts';
import { type PortalProcess, startPortalProcess } from '../../test-support/portal-process.ts';
import { seededRandom } from '../../test-support/seeded-random.ts';

/**
 * A portal SIGKILLed in every step of rotation runs, again and again, on the same database, with
 * the process runner running real services. After every restart both active tokens authenticate
 * and every deactivated one is refused, and no deployment is set to run with a deactivated token;
 * once the run has ended (succeeded, or failed with nothing broken) each deployment has exactly
 * its replicas as live processes (counted in /proc, not from the portal's records), all with the
 * deployment's active token, and the audit has the run's start and end.
 */
// STREAMGATE_CRASH_RUN_CYCLES raises the count for a soak run; the default keeps the file near 3 minutes.
const cycles = Number(process.env.STREAMGATE_CRASH_RUN_CYCLES ?? 4);
const seed = Number(process.env.STREAMGATE_CRASH_SEED ?? randomInt(2 ** 31));
const ws = 'dev';

/** A tiny real service: says which replica it is, then idles until it is signalled. */
const serviceCommand = [
  process.execPath,
  '-e',
  "console.log('up', process.env.Quix__Deployment__ReplicaName); setInterval(() => {}, 60_000);",
];
/**
 * One that ignores SIGTERM: only the SIGKILL after the grace period stops it, so a portal killed
 * meanwhile leaves an instance that the next one must stop again, not forget.
 */
const stubbornCommand = [
  process.execPath,
  '-e',
  "process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 60_000);",
];

type Mode = 'zero-downtime' | 'restart-deployments';
type StepName = 'move-deployments' | 'wait-quiet' | 'rotate' | 'restart-deployments';
/**
 * Where to kill: while a step runs (as the API shows it), at a seeded random moment of the run,
 * or the moment a new instance appears in /proc (before the portal records it, with luck).
 */
type KillTarget = StepName | 'random' | 'spawn';

/**
 * The first four hit every step of both modes (the default runs those); the next two add random
 * moments, and later cycles kill at random moments only.
 */
const coverage: { mode: Mode; kills: KillTarget[] }[] = [
  { mode: 'zero-downtime', kills: ['spawn', 'wait-quiet'] },
  { mode: 'restart-deployments', kills: ['rotate'] },
  { mode: 'zero-downtime', kills: ['move-deployments', 'rotate'] },
  { mode: 'restart-deployments', kills: ['spawn', 'restart-deployments'] },
  { mode: 'zero-downtime', kills: ['random', 'rotate'] },
  { mode: 'restart-deployments', kills: ['random'] },
];

// biome-ignore lint/suspicious/noExplicitAny: API bodies are read field by field.
type Json = any;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describeRun(run: Json): string {
  const steps = (run.steps as Json[]).map((step) => {
    const moving = (step.deployments as Json[]).filter((d) => d.state === 'moving').map((d) => d.name);
    return `${step.name}:${step.state}${moving.length > 0 ? `(moving ${moving.join(',')})` : ''}`;
  });
  return `${run.status} [${steps.join(' ')}]`;
}

function runCrashSuite(openEngine: () => Promise<CrashEngine>, name: string) {
  describe(`crash during rotation runs: ${name}`, () => {
    let engine: CrashEngine;
    let portal: PortalProcess | undefined;
    let session: SessionHeaders;
    /** Every deployment this suite created (deleted ones too): their processes are ours to count and kill. */
    const created = new Map<string, string>();
    /** Every token value seen, by id: the active pair must authenticate, all others be refused. */
    const tokens = new Map<string, string>();
    let pair: TokenPairSeen;

    const env = () => ({
      ...engine.env,
      STREAMGATE_RUNNER: 'process',
      STREAMGATE_BROKER_JWT_TTL_SECONDS: '10',
      STREAMGATE_DEPLOYMENT_READY_SECONDS: '1',
      STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS: '1',
      STREAMGATE_KAFKA_BOOTSTRAP: '',
      STREAMGATE_LOG_LEVEL: 'warn',
    });
    /** Instances that a restarted portal found unrecorded and killed (its crash came between spawn and record). */
    let strayKills = 0;
    const straysKilledBy = (started: PortalProcess) =>
      started.output().split('killing an instance no record knows').length - 1;
    const start = async () => {
      if (portal) strayKills += straysKilledBy(portal);
      portal = await startPortalProcess({ env: env(), dataDir: engine.dataDir });
    };
    const api = (method: string, path: string, json?: unknown) =>
      send(portal!.url, method, path, { headers: { ...session }, ...(json !== undefined ? { json } : {}) });

    before(async () => {
      engine = await openEngine();
      await start();
      session = await login(
        portal!.url,
        engine.env.STREAMGATE_ADMIN_EMAIL!,
        engine.env.STREAMGATE_ADMIN_PASSWORD!,
      );
      pair = await readPair(portal!.url, session, ws);
      tokens.set(pair.token1.id, pair.token1.value);
      tokens.set(pair.token2.id, pair.token2.value);
    });

    after(async () => {
      await portal?.kill();
      killDeploymentProcesses(new Set(created.keys()));
      await engine?.dispose();
    });

    const createDeployment = async (body: Record<string, unknown>): Promise<string> => {
      const reply = await api('POST', `/workspaces/${ws}/deployments`, { command: serviceCommand, ...body });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      created.set(reply.body.deploymentId, String(body.name));
      return reply.body.deploymentId;
    };

    /** A deployment's output.log: its instances' output and the runner's notes. */
    const logOf = (id: string) => {
      const path = join(engine.dataDir, 'deployments', id, 'output.log');
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    };
    /** keep-b ignores SIGTERM: set by the first test, used by the next. */
    let stubborn = '';

    const ourProcesses = () => deploymentProcesses().filter((found) => created.has(found.deploymentId));
    const pidsByDeployment = () => {
      const pids: Record<string, number[]> = {};
      for (const found of ourProcesses())
        pids[found.deploymentId] = [...(pids[found.deploymentId] ?? []), found.pid];
      for (const list of Object.values(pids)) list.sort((a, b) => a - b);
      return pids;
    };

    /** Reads the active pair through the restarted portal and checks every token seen against it. */
    const checkTokens = async (label: string) => {
      // A resumed run may rotate while the tokens are being tried: then try them all again.
      for (let attempt = 1; ; attempt++) {
        pair = await readPair(portal!.url, session, ws);
        tokens.set(pair.token1.id, pair.token1.value);
        tokens.set(pair.token2.id, pair.token2.value);
        const answers: [string, boolean, number, string | undefined][] = [];
        for (const [id, value] of tokens) {
          const reply = await send(portal!.url, 'GET', `/workspaces/${ws}`, { headers: bearer(value) });
          answers.push([id, id === pair.token1.id || id === pair.token2.id, reply.status, reply.body.code]);
        }
        const pairNow = await readPair(portal!.url, session, ws);
        if (attempt < 3 && (pairNow.token1.id !== pair.token1.id || pairNow.token2.id !== pair.token2.id))
          continue;
        for (const [id, active, status, code] of answers) {
          assert.equal(status, active ? 200 : 401, `${label}: token ${id} (active: ${active})`);
          if (!active) assert.equal(code, 'PORTAL_TOKEN_REVOKED', `${label}: token ${id}`);
        }
        return;
      }
    };

    /** Storage as the killed portal left it, read while no portal runs. */
    const checkAtRest = async (label: string, rotationId: string) => {
      const store = engine.openStore();
      try {
        const active = await store.activeTokenPair(ws);
        assert.ok(active, `${label}: no whole active pair`);
        const slots = (await store.listActiveTokens()).filter((token) => token.workspaceId === ws);
        assert.deepEqual(slots.map((token) => token.slot).sort(), [1, 2], `${label}: active slots`);
        for (const deployment of await store.listDeployments(ws)) {
          assert.ok(
            deployment.tokenId === active.token1.id || deployment.tokenId === active.token2.id,
            `${label}: ${deployment.name} is set to run with ${deployment.tokenId}, which is not active`,
          );
        }
        const run = await store.findRotationRun(ws, rotationId);
        assert.ok(run, `${label}: the run is gone`);
        const recorded = (await store.listDeployments(ws)).flatMap((d) =>
          d.observed.instances.map((i) => i.pid),
        );
        return { run: describeRun(run), recorded: new Set(recorded) };
      } finally {
        await store.close();
      }
    };

    /** What is wrong with the deployments now, seen through the API and in /proc (empty: nothing). */
    const problems = async (): Promise<string[]> => {
      const reply = await api('GET', `/workspaces/${ws}/deployments`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      const deployments = reply.body as Json[];
      const live = ourProcesses();
      const found: string[] = [];
      for (const d of deployments) {
        const wanted = d.desiredState === 'Running' ? d.replicas : 0;
        const mine = live.filter((process) => process.deploymentId === d.deploymentId);
        const pids = mine.map((process) => process.pid).join(',');
        if (d.tokenSlot === null)
          found.push(`${d.name} is set to run with ${d.tokenId}, a deactivated token`);
        if (mine.length !== wanted)
          found.push(`${d.name}: ${mine.length} live process(es) [${pids}], want ${wanted}`);
        const replicas = mine.map((process) => process.replicaName).sort();
        const expected = Array.from({ length: wanted }, (_, i) => `${d.name}-${i}`);
        if (mine.length === wanted && JSON.stringify(replicas) !== JSON.stringify(expected))
          found.push(`${d.name}: replicas ${replicas.join(',')}, want ${expected.join(',')}`);
        for (const process of mine) {
          if (process.token === tokens.get(d.tokenId)) continue;
          const deactivated = ![pair.token1.value, pair.token2.value].includes(process.token);
          found.push(
            `${d.name}: pid ${process.pid} runs with ${deactivated ? 'a deactivated token' : 'the other active token'}`,
          );
        }
        const runningOn = JSON.stringify(d.runningTokenIds);
        if (runningOn !== JSON.stringify(wanted > 0 ? [d.tokenId] : []))
          found.push(`${d.name}: instances recorded on ${runningOn}, set to ${d.tokenId}`);
        if (wanted > 0 && (d.status !== 'Running' || d.replicasReady !== wanted || d.restartRequired))
          found.push(
            `${d.name}: ${d.status}, ${d.replicasReady}/${wanted} ready, restartRequired ${d.restartRequired}`,
          );
        if (wanted === 0 && d.status !== 'Stopped') found.push(`${d.name}: ${d.status}, want Stopped`);
      }
      const present = new Set(deployments.map((d) => d.deploymentId));
      for (const process of live)
        if (!present.has(process.deploymentId))
          found.push(`pid ${process.pid} of the deleted ${created.get(process.deploymentId)} still runs`);
      return found;
    };

    /** Waits for the runner to converge, then checks it stays so across runner ticks. */
    const checkSettled = async (label: string) => {
      const deadline = Date.now() + 30_000;
      let last = await problems();
      while (last.length > 0 && Date.now() < deadline) {
        await sleep(200);
        last = await problems();
      }
      assert.deepEqual(last, [], `${label}: the deployments did not settle`);
      await sleep(1200); // more than a runner tick
      assert.deepEqual(await problems(), [], `${label}: settled, then changed`);
    };

    const getRun = async (rotationId: string) => {
      const reply = await api('GET', `/workspaces/${ws}/streaming-tokens/rotations/${rotationId}`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return reply.body as Json;
    };

    /** Polls the run until `ready` says how long to wait before the kill, or the run has ended. */
    const killWhen = async (rotationId: string, ready: (run: Json) => number | null) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const run = await getRun(rotationId);
        const delay = run.status === 'running' ? ready(run) : 0;
        if (delay !== null) {
          await sleep(Math.max(0, delay));
          const seen = describeRun(run);
          await portal!.kill();
          return { seen: run.status === 'running' ? seen : `missed: the run had ended: ${seen}` };
        }
        if (Date.now() > deadline) throw new Error(`no kill moment in 60 s: ${describeRun(run)}`);
        await sleep(20);
      }
    };

    /** Kills the portal as soon as a new instance of ours has exec'd: between its spawn and its record, with luck. */
    const killAtSpawn = async (
      rotationId: string,
      known: ReadonlySet<number>,
    ): Promise<{ seen: string; pid?: number }> => {
      const notOurs = new Set<string>([...known].map(String));
      const wanted = [...created.keys()].map((id) => `Quix__Deployment__Id=${id}\0`);
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        for (const pid of readdirSync('/proc')) {
          if (notOurs.has(pid) || !/^\d+$/.test(pid)) continue;
          let environ: string;
          try {
            environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
          } catch {
            continue;
          }
          const at = wanted.findIndex((entry) => environ.includes(entry));
          if (at >= 0) {
            await portal!.kill();
            return { seen: `a new instance of ${[...created.values()][at]} (pid ${pid})`, pid: Number(pid) };
          }
          // A child between fork and exec still shows the portal's environment: look again later.
          if (!environ.includes('STREAMGATE_RUNNER=')) notOurs.add(pid);
        }
        await setImmediate();
      }
      const run = await getRun(rotationId);
      await portal!.kill();
      return { seen: `missed: no new instance in 20 s: ${describeRun(run)}` };
    };

    const killAt = (
      target: KillTarget,
      mode: Mode,
      rotationId: string,
      random: () => number,
      known: ReadonlySet<number>,
    ): Promise<{ seen: string; pid?: number }> => {
      const step = (run: Json, name: StepName) => (run.steps as Json[]).find((s) => s.name === name);
      const running = (run: Json, name: StepName) => step(run, name)?.state === 'running';
      const wait = random(); // drawn up front: the same seed draws the same moments
      switch (target) {
        case 'spawn':
          return killAtSpawn(rotationId, known);
        case 'random':
          return killWhen(rotationId, () => wait * (mode === 'zero-downtime' ? 6000 : 2500));
        case 'move-deployments':
          return killWhen(rotationId, (run) =>
            running(run, target) && step(run, target).deployments.some((d: Json) => d.state === 'moving')
              ? wait * 1500
              : null,
          );
        case 'wait-quiet':
          return killWhen(rotationId, (run) => (running(run, target) ? wait * 800 : null));
        case 'rotate':
          // The rotate step commits in one go (never stored as running): kill around its moment,
          // the end of the quiet wait, or just after the start of a rotate-first run.
          if (mode === 'restart-deployments') return killWhen(rotationId, () => wait * 40);
          return killWhen(rotationId, (run) => {
            const quiet = step(run, 'wait-quiet');
            if (quiet.state !== 'running' || !quiet.quietUntil) return null;
            return Date.parse(quiet.quietUntil) - Date.now() - 200 + wait * 600;
          });
        case 'restart-deployments':
          return killWhen(rotationId, (run) => (running(run, target) ? wait * 1000 : null));
      }
    };

    const auditOf = async (action: string, rotationId: string) => {
      const reply = await api('GET', `/audit?workspaceId=${ws}&action=${action}&limit=200`);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      return (reply.body.entries as Json[]).filter(
        (entry) => entry.target === rotationId || entry.details.rotationId === rotationId,
      );
    };

    const checkEnded = async (label: string, rotationId: string, pairBefore: TokenPairSeen) => {
      const deadline = Date.now() + 60_000;
      let run = await getRun(rotationId);
      while (run.status === 'running' && Date.now() < deadline) {
        await sleep(100);
        run = await getRun(rotationId);
      }
      assert.ok(['succeeded', 'failed'].includes(run.status), `${label}: the run ended ${describeRun(run)}`);
      for (const s of run.steps as Json[])
        assert.ok(['done', 'skipped', 'failed'].includes(s.state), `${label}: ${describeRun(run)}`);
      await checkTokens(`${label}, ended`);
      const rotated = pair.token1.id === pairBefore.token2.id;
      if (run.status === 'succeeded') assert.ok(rotated, `${label}: succeeded without rotating`);
      else
        assert.ok(
          rotated || pair.token1.id === pairBefore.token1.id,
          `${label}: failed and the pair moved on`,
        );
      await checkSettled(`${label}, ended ${run.status}`);
      assert.equal((await auditOf('rotation_run.start', rotationId)).length, 1, `${label}: audited starts`);
      const ends = await auditOf('rotation_run.end', rotationId);
      assert.equal(ends.length, 1, `${label}: audited ends`);
      assert.equal(ends[0].details.status, run.status, `${label}: the audited end`);
      const rotations = await auditOf('streaming_tokens.rotate', rotationId);
      assert.equal(rotations.length, rotated ? 1 : 0, `${label}: audited rotations`);
      return run;
    };

    it('adopts running deployments after a SIGKILL; a graceful stop stops them and the next start starts them', {
      timeout: 120_000,
    }, async () => {
      const keepA = await createDeployment({ name: 'keep-a', replicas: 2 });
      const keepB = await createDeployment({ name: 'keep-b', command: stubbornCommand });
      stubborn = keepB;
      await checkSettled('created');
      const pidsBefore = pidsByDeployment();
      assert.equal(pidsBefore[keepA]?.length, 2);
      assert.equal(pidsBefore[keepB]?.length, 1);
      const restarts = (await api('GET', `/workspaces/${ws}/deployments`)).body.map(
        (d: Json) => d.restartCount,
      );

      await portal!.kill();
      assert.deepEqual(pidsByDeployment(), pidsBefore, 'the instances outlive the portal');
      // What a crash between spawning an instance and recording it leaves: a process with the
      // runner's marker that no record knows. The restarted portal must kill it, not adopt it.
      const model = ourProcesses().find((found) => found.deploymentId === keepA)!;
      const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 60_000);'], {
        detached: true,
        stdio: 'ignore',
        env: {
          PATH: process.env.PATH ?? '',
          Quix__Sdk__Token: model.token,
          Quix__Deployment__Id: keepA,
          Quix__Deployment__ReplicaName: model.replicaName,
          STREAMGATE_RUNNER_ID: model.runnerMarker,
        },
      });
      stray.unref();
      for (
        let waited = 0;
        !ourProcesses().some((found) => found.pid === stray.pid) && waited < 5000;
        waited += 20
      )
        await sleep(20);
      await start();
      const adoptedAll = () =>
        Object.entries(pidsBefore).every(([id, pids]) =>
          pids.every((pid) => logOf(id).includes(`(pid ${pid}) after a portal restart`)),
        );
      for (let waited = 0; !adoptedAll() && waited < 10_000; waited += 100) await sleep(100);
      assert.ok(adoptedAll(), `not every instance was adopted:\n${logOf(keepA)}\n${logOf(keepB)}`);
      await checkSettled('restarted after a SIGKILL');
      assert.equal(straysKilledBy(portal!), 1, 'the unrecorded instance was killed as such');
      assert.deepEqual(
        pidsByDeployment(),
        pidsBefore,
        'the same processes, adopted: none restarted, none added',
      );
      const restartsAfter = (await api('GET', `/workspaces/${ws}/deployments`)).body.map(
        (d: Json) => d.restartCount,
      );
      assert.deepEqual(restartsAfter, restarts, 'no restart counted');

      await portal!.stop(); // SIGTERM: a graceful stop
      assert.deepEqual(pidsByDeployment(), {}, 'a graceful stop stops every instance');
      await start();
      await checkSettled('started after a graceful stop');
      const again = pidsByDeployment();
      assert.ok(
        again[keepA]!.every((pid) => !pidsBefore[keepA]!.includes(pid)),
        'the next start started fresh instances',
      );
    });

    it('stops an instance that was stopping when the portal died (its SIGKILL timer died with it)', {
      timeout: 60_000,
    }, async () => {
      const ignored = () => logOf(stubborn).split('ignoring SIGTERM').length;
      const sigtermsBefore = ignored();
      const restarted = await api('POST', `/workspaces/${ws}/deployments/${stubborn}/restart`);
      assert.equal(restarted.status, 200, JSON.stringify(restarted.body));
      // The replacement is ready and the old instance got its SIGTERM: kill within the grace period.
      for (let waited = 0; ignored() === sigtermsBefore && waited < 15_000; waited += 20) await sleep(20);
      assert.ok(ignored() > sigtermsBefore, 'the old instance never got its SIGTERM');
      await sleep(100);
      await portal!.kill();
      const store = engine.openStore();
      try {
        const recorded = (await store.findDeployment(ws, stubborn))!.observed.instances;
        assert.ok(
          recorded.some((instance) => instance.stopping),
          `no instance recorded as stopping: ${JSON.stringify(recorded)}`,
        );
      } finally {
        await store.close();
      }
      assert.equal(ourProcesses().filter((found) => found.deploymentId === stubborn).length, 2);
      await start();
      await checkSettled('restarted while an instance was stopping');
    });

    it(`keeps the invariants through SIGKILLs in every step of ${cycles} rotation runs`, {
      timeout: 240_000,
    }, async (t) => {
      const random = seededRandom(seed);
      await createDeployment({ name: 'idle', start: false });
      const doomed = await createDeployment({ name: 'doomed' });
      await checkSettled('before the runs');
      const landed: string[] = [];
      const began = Date.now();
      const elapsed = () => `${((Date.now() - began) / 1000).toFixed(1)} s`;
      for (let cycle = 1; cycle <= cycles; cycle++) {
        const plan = coverage[cycle - 1] ?? {
          mode: random() < 0.5 ? ('zero-downtime' as const) : ('restart-deployments' as const),
          kills: random() < 0.5 ? (['random'] as const) : (['random', 'random'] as const),
        };
        const label = `cycle ${cycle} (${plan.mode}, STREAMGATE_CRASH_SEED=${seed})`;
        try {
          const pairBefore = await readPair(portal!.url, session, ws);
          const running = new Set(ourProcesses().map((found) => found.pid));
          const started = await send(portal!.url, 'POST', `/workspaces/${ws}/streaming-tokens/rotations`, {
            headers: { ...session, 'if-match': pairBefore.etag },
            // A quiet wait longer than a restart: a kill in it can resume inside it.
            json: {
              mode: plan.mode,
              quietSeconds: plan.mode === 'zero-downtime' ? 3 : 1,
              timeoutSeconds: 120,
            },
          });
          assert.equal(started.status, 202, JSON.stringify(started.body));
          const rotationId: string = started.body.rotationId;
          let known = running;
          if (cycle === 1) {
            // Deleted while the run lists it: the run must not bring it back, nor wait for it.
            const deleted = await api('DELETE', `/workspaces/${ws}/deployments/${doomed}`);
            assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
          }
          for (const target of plan.kills) {
            const { seen, pid } = await killAt(target, plan.mode, rotationId, random, known);
            const stored = await checkAtRest(`${label}, killed at ${target}`, rotationId);
            const record =
              pid === undefined ? '' : stored.recorded.has(pid) ? ' (recorded)' : ' (not recorded)';
            landed.push(`${cycle}:${target} +${elapsed()}: seen ${seen}${record}; stored ${stored.run}`);
            known = new Set(ourProcesses().map((found) => found.pid));
            await start();
            await checkTokens(`${label}, restarted after a kill at ${target}`);
          }
          const run = await checkEnded(label, rotationId, pairBefore);
          landed.push(
            `${cycle}: +${elapsed()} ended ${describeRun(run)}${run.error ? ` (${run.error})` : ''}`,
          );
        } catch (error) {
          throw new Error(`${label}\n${landed.join('\n')}`, { cause: error });
        }
      }
      t.diagnostic(
        `${name}: seed ${seed}, ${strayKills + straysKilledBy(portal!)} unrecorded instance(s) killed after a restart\n${landed.join('\n')}`,
      );
    });
  });
}

runCrashSuite(async () => sqliteEngine(), 'sqlite');
runCrashSuite(postgresEngine, 'postgres');
