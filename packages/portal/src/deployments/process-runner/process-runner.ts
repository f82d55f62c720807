import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { Clock } from '../../clock.ts';
import { randomId, sha256Hex } from '../../crypto/hashing.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { PortalLogger } from '../../logger.ts';
import { serialTicks } from '../../scheduling/serial-ticks.ts';
import type {
  DeploymentExit,
  DeploymentInstance,
  DeploymentObserved,
  DeploymentRecord,
  DeploymentStorage,
  TokenStorage,
} from '../../storage/storage.ts';
import { openVariables, tokenValueFor } from '../deployment-secrets.ts';
import { backoffMs, deriveStatus, planInstances, type SeenInstance } from '../instance-plan.ts';
import type { DeploymentRunner } from '../runner.ts';
import { instanceEnvironment, runnerMarkerName } from './child-environment.ts';
import { createDeploymentLogs } from './deployment-logs.ts';
import {
  isSameProcess,
  processesWithEnvironment,
  processGroupOf,
  processStartTicks,
  signalGroup,
} from './process-table.ts';

export interface ProcessRunnerOptions {
  /** Where each deployment's output goes (`<dir>/<deploymentId>/output.log`). */
  logsDir: string;
  logMaxBytes: number;
  portalUrl: string;
  /** An instance counts as ready once it has stayed up this long. */
  readyMs: number;
  /** SIGTERM, then SIGKILL after this long. */
  stopGraceMs: number;
  tickMs?: number;
  portalEnvironment?: NodeJS.ProcessEnv;
}

interface LiveInstance {
  record: DeploymentInstance;
  /** null for an instance adopted from a previous portal process: watched through /proc. */
  child: ChildProcess | null;
  killTimer: NodeJS.Timeout | null;
}

interface Tracked {
  instances: Map<string, LiveInstance>;
  generationSeen: number;
  tokenIdSeen: string;
  failures: number;
  backoff: { untilMs: number; reason: string } | null;
  completedGeneration: number | null;
  restartCount: number;
  lastExit: DeploymentExit | null;
  written: string;
}

/** A failure reset: an instance that stayed up this long was not crash-looping. */
const healthyAfterMs = 60_000;

/**
 * The embedded runner: each instance is a child process in its own process group, writing to
 * its deployment's log file. Instances outlive a crash of the portal; a restarted portal adopts
 * the ones it recorded (same pid and start time) and kills the ones it never got to record, so
 * no deployment ever runs twice.
 */
export function createProcessRunner(deps: {
  store: DeploymentStorage & TokenStorage;
  box: SecretBox;
  clock: Clock;
  logger: PortalLogger;
  options: ProcessRunnerOptions;
}): DeploymentRunner {
  const { store, box, clock, logger, options } = deps;
  const logs = createDeploymentLogs({ dir: options.logsDir, maxBytes: options.logMaxBytes });
  const runnerId = sha256Hex(`process-runner:${options.logsDir}`).slice(0, 24);
  const tracked = new Map<string, Tracked>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const nowMs = () => clock.now().getTime();
  const track = (deployment: DeploymentRecord): Tracked => {
    let state = tracked.get(deployment.deploymentId);
    if (!state) {
      state = {
        instances: new Map(),
        generationSeen: deployment.generation,
        tokenIdSeen: deployment.tokenId,
        failures: 0,
        backoff: null,
        completedGeneration: null,
        restartCount: deployment.observed.restartCount,
        lastExit: deployment.observed.lastExit,
        written: '',
      };
      tracked.set(deployment.deploymentId, state);
    }
    return state;
  };
  const seen = (state: Tracked): SeenInstance[] =>
    [...state.instances.values()].map(({ record }) => ({
      instanceId: record.instanceId,
      replica: record.replica,
      tokenId: record.tokenId,
      generation: record.generation,
      ready: record.readyAt !== null,
      stopping: record.stopping,
    }));

  const exited = (deploymentId: string, instance: LiveInstance, exit: DeploymentExit) => {
    const state = tracked.get(deploymentId);
    if (!state?.instances.has(instance.record.instanceId)) return;
    state.instances.delete(instance.record.instanceId);
    if (instance.killTimer) clearTimeout(instance.killTimer);
    const { record } = instance;
    const how = exit.signal
      ? `signal ${exit.signal}`
      : exit.code === null
        ? 'an unknown status'
        : `code ${exit.code}`;
    // An instance whose replacement already runs (a restart, a token move) was on its way out:
    // its exit is no crash of the deployment. After a rotation the old one often dies this way.
    const replaced = [...state.instances.values()].some(
      (other) =>
        other.record.replica === record.replica &&
        !other.record.stopping &&
        other.record.startedAt > record.startedAt,
    );
    if (record.stopping) {
      logs.note(deploymentId, `replica ${record.replica} (pid ${record.pid}) stopped (${how})`);
    } else if (replaced) {
      state.lastExit = exit;
      logs.note(
        deploymentId,
        `replica ${record.replica} (pid ${record.pid}) exited with ${how} while its replacement starts`,
      );
    } else {
      state.lastExit = exit;
      state.restartCount += 1;
      if (exit.code === 0) {
        state.completedGeneration = record.generation;
        logs.note(deploymentId, `replica ${record.replica} (pid ${record.pid}) completed (exit code 0)`);
      } else {
        state.failures += 1;
        const wait = backoffMs(state.failures);
        state.backoff = { untilMs: nowMs() + wait, reason: `exited with ${how}` };
        logs.note(
          deploymentId,
          `replica ${record.replica} (pid ${record.pid}) exited with ${how}; restarting in ${Math.round(wait / 1000)} s`,
        );
      }
    }
    runner.poke();
  };

  const startInstance = async (deployment: DeploymentRecord, state: Tracked, replica: number) => {
    const token = await tokenValueFor(store, box, deployment);
    if (token === null) {
      state.backoff = { untilMs: nowMs() + 5000, reason: 'its streaming token is no longer active' };
      return;
    }
    const env = instanceEnvironment({
      portalEnvironment: options.portalEnvironment ?? process.env,
      deployment,
      replica,
      token: token.value,
      portalUrl: options.portalUrl,
      variables: openVariables(box, deployment),
      runnerId,
    });
    const [command, ...args] = deployment.spec.command as [string, ...string[]];
    const fd = logs.openForInstance(deployment.deploymentId);
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: deployment.spec.workingDirectory ?? undefined,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const pid = child.pid;
    if (pid === undefined) {
      const reason = await new Promise<string>((resolve) =>
        child.once('error', (error) => resolve(error.message)),
      );
      state.failures += 1;
      state.restartCount += 1;
      state.lastExit = { code: null, signal: null, at: clock.now().toISOString() };
      state.backoff = { untilMs: nowMs() + backoffMs(state.failures), reason: `could not start: ${reason}` };
      logs.note(deployment.deploymentId, `replica ${replica} could not start: ${reason}`);
      return;
    }
    child.on('error', () => {}); // a signal to a process that just exited; 'exit' reports it
    const instance: LiveInstance = {
      record: {
        instanceId: `i-${randomId()}`,
        replica,
        pid,
        startTicks: processStartTicks(pid) ?? '',
        tokenId: deployment.tokenId,
        generation: deployment.generation,
        specVersion: deployment.specVersion,
        startedAt: clock.now().toISOString(),
        readyAt: null,
        stopping: false,
      },
      child,
      killTimer: null,
    };
    state.instances.set(instance.record.instanceId, instance);
    child.once('exit', (code, signal) =>
      exited(deployment.deploymentId, instance, { code, signal, at: clock.now().toISOString() }),
    );
    logs.note(
      deployment.deploymentId,
      `started replica ${replica} (pid ${pid}) with Token ${token.slot} (${deployment.tokenId})`,
    );
    // Recorded at once: a portal that crashes now must find this instance to adopt, not start another.
    await persist(deployment, state);
  };

  const stopInstance = (deploymentId: string, instance: LiveInstance) => {
    if (instance.record.stopping) return;
    instance.record.stopping = true;
    logs.note(deploymentId, `stopping replica ${instance.record.replica} (pid ${instance.record.pid})`);
    signalGroup(instance.record.pid, 'SIGTERM');
    instance.killTimer = setTimeout(() => signalGroup(instance.record.pid, 'SIGKILL'), options.stopGraceMs);
    instance.killTimer.unref();
  };

  const observedOf = (deployment: DeploymentRecord, state: Tracked): DeploymentObserved => {
    const { status, detail } = deriveStatus({
      wanted: { ...deployment, replicas: deployment.spec.replicas },
      instances: seen(state),
      backoff: state.backoff,
      completed: state.completedGeneration === deployment.generation,
      nowMs: nowMs(),
    });
    return {
      status,
      statusDetail: detail,
      restartCount: state.restartCount,
      lastExit: state.lastExit,
      instances: [...state.instances.values()].map((instance) => ({ ...instance.record })),
    };
  };

  const persist = async (deployment: DeploymentRecord, state: Tracked) => {
    const observed = observedOf(deployment, state);
    const text = JSON.stringify(observed);
    if (text === state.written) return;
    await store.recordDeploymentObserved(deployment.deploymentId, observed);
    state.written = text;
  };

  const converge = async (deployment: DeploymentRecord) => {
    const state = track(deployment);
    if (deployment.generation !== state.generationSeen || deployment.tokenId !== state.tokenIdSeen) {
      // A restart (or a move to another token) is a fresh start: no backoff, no "completed".
      // A rotation moves deployments to the new Token 1 without a restart, and their old
      // instances, refused by the broker, often crash just before this runner sees the move.
      state.generationSeen = deployment.generation;
      state.tokenIdSeen = deployment.tokenId;
      state.failures = 0;
      state.backoff = null;
      state.completedGeneration = null;
    }
    const now = nowMs();
    if (state.backoff && state.backoff.untilMs <= now) state.backoff = null;
    for (const instance of [...state.instances.values()]) {
      const { record } = instance;
      if (instance.child === null && !isSameProcess(record.pid, record.startTicks)) {
        exited(deployment.deploymentId, instance, {
          code: null,
          signal: null,
          at: clock.now().toISOString(),
        });
        continue;
      }
      if (
        record.readyAt === null &&
        !record.stopping &&
        now - Date.parse(record.startedAt) >= options.readyMs
      ) {
        record.readyAt = clock.now().toISOString();
      }
      if (record.readyAt !== null && now - Date.parse(record.readyAt) >= healthyAfterMs) state.failures = 0;
    }
    const wanted = { ...deployment, replicas: deployment.spec.replicas };
    const plan = planInstances(
      wanted,
      seen(state),
      () => state.backoff === null && state.completedGeneration !== deployment.generation,
    );
    for (const instanceId of plan.stop) {
      const instance = state.instances.get(instanceId);
      if (instance) stopInstance(deployment.deploymentId, instance);
    }
    for (const replica of plan.start) await startInstance(deployment, state, replica);
    logs.rotateIfLarge(deployment.deploymentId);
    await persist(deployment, state);
  };

  /** Instances of deployments that no longer exist: stopped, and forgotten once gone. */
  const reapDeleted = (present: Set<string>) => {
    for (const [deploymentId, state] of tracked) {
      if (present.has(deploymentId)) continue;
      for (const instance of [...state.instances.values()]) {
        if (instance.child === null && !isSameProcess(instance.record.pid, instance.record.startTicks)) {
          state.instances.delete(instance.record.instanceId);
        } else {
          stopInstance(deploymentId, instance);
        }
      }
      if (state.instances.size === 0) tracked.delete(deploymentId);
    }
  };

  const tick = async () => {
    const deployments = await store.listDeployments(null);
    for (const deployment of deployments) {
      try {
        await converge(deployment);
      } catch (error) {
        logger.error(
          { err: error, deploymentId: deployment.deploymentId },
          'deployment runner: converge failed',
        );
      }
    }
    reapDeleted(new Set(deployments.map((d) => d.deploymentId)));
  };

  const ticks = serialTicks(tick, {
    onError: (error) => logger.error({ err: error }, 'deployment runner: tick failed'),
    mayRepeat: () => !stopped,
  });
  const runTick = ticks.run;

  /** What a previous portal process left: recorded instances are adopted, unrecorded ones killed. */
  const adopt = async () => {
    const adoptedGroups = new Set<number>();
    for (const deployment of await store.listDeployments(null)) {
      const state = track(deployment);
      for (const record of deployment.observed.instances) {
        if (isSameProcess(record.pid, record.startTicks)) {
          const adopted: LiveInstance = { record: { ...record }, child: null, killTimer: null };
          state.instances.set(record.instanceId, adopted);
          adoptedGroups.add(record.pid);
          logs.note(
            deployment.deploymentId,
            `adopted replica ${record.replica} (pid ${record.pid}) after a portal restart`,
          );
          // Its SIGKILL timer died with the previous portal: stop it again (the flag is on the copy).
          if (adopted.record.stopping) {
            adopted.record.stopping = false;
            stopInstance(deployment.deploymentId, adopted);
          }
        } else {
          logs.note(
            deployment.deploymentId,
            `replica ${record.replica} (pid ${record.pid}) ended while the portal was down`,
          );
        }
      }
    }
    for (const pid of processesWithEnvironment(runnerMarkerName, runnerId)) {
      const group = processGroupOf(pid);
      if (group !== null && adoptedGroups.has(group)) continue;
      logger.warn(
        { pid },
        'deployment runner: killing an instance no record knows (the portal crashed while starting it)',
      );
      signalGroup(group ?? pid, 'SIGKILL');
    }
  };

  const runner: DeploymentRunner = {
    kind: 'process',
    async start() {
      stopped = false;
      await adopt();
      await runTick();
      timer = setInterval(() => void runTick(), options.tickMs ?? 1000);
      timer.unref();
    },
    async stop(stopOptions = {}) {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await ticks.idle();
      if (!stopOptions.stopDeployments) return;
      const deadline = Date.now() + options.stopGraceMs + 2000;
      for (const [deploymentId, state] of tracked)
        for (const instance of state.instances.values()) stopInstance(deploymentId, instance);
      while (Date.now() < deadline && [...tracked.values()].some((state) => state.instances.size > 0)) {
        for (const [deploymentId, state] of tracked)
          for (const instance of [...state.instances.values()])
            if (instance.child === null && !isSameProcess(instance.record.pid, instance.record.startTicks))
              exited(deploymentId, instance, { code: null, signal: null, at: clock.now().toISOString() });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const deployment of await store.listDeployments(null)) {
        const state = tracked.get(deployment.deploymentId);
        if (!state) continue;
        const observed = observedOf(deployment, state);
        await store.recordDeploymentObserved(deployment.deploymentId, {
          ...observed,
          status: observed.instances.length === 0 ? 'Stopped' : observed.status,
          statusDetail:
            observed.instances.length === 0
              ? 'the portal stopped; it starts again with the portal'
              : observed.statusDetail,
        });
      }
    },
    poke() {
      if (!stopped && timer) void runTick();
    },
    async logs(deployment, tail) {
      return logs.tail(deployment.deploymentId, tail);
    },
    followLogs(deployment, tail, signal) {
      return logs.follow(deployment.deploymentId, tail, signal);
    },
    async forget(deploymentId) {
      logs.remove(deploymentId);
    },
  };
  return runner;
}
