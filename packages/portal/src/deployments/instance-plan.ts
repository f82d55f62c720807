import type { DeploymentRecord, DeploymentStatus } from '../storage/storage.ts';

/**
 * What a runner should do next for one deployment, computed from the wanted state and the
 * instances it sees, with no I/O (like broker/acl-plan.ts): the runner applies the plan.
 */
export interface SeenInstance {
  instanceId: string;
  replica: number;
  tokenId: string;
  generation: number;
  ready: boolean;
  stopping: boolean;
}

export interface InstancePlan {
  /** Replicas to start a current instance for. */
  start: number[];
  /** Instances to stop (SIGTERM, then SIGKILL after the grace period). */
  stop: string[];
}

type Wanted = Pick<DeploymentRecord, 'desiredState' | 'tokenId' | 'generation'> & { replicas: number };

export const isCurrent = (instance: SeenInstance, wanted: Wanted) =>
  instance.tokenId === wanted.tokenId && instance.generation === wanted.generation;

export function planInstances(
  wanted: Wanted,
  instances: readonly SeenInstance[],
  mayStart: (replica: number) => boolean,
): InstancePlan {
  const live = instances.filter((instance) => !instance.stopping);
  if (wanted.desiredState === 'stopped') return { start: [], stop: live.map((i) => i.instanceId) };

  const start: number[] = [];
  const stop: string[] = [];
  for (const instance of live) if (instance.replica >= wanted.replicas) stop.push(instance.instanceId);
  for (let replica = 0; replica < wanted.replicas; replica++) {
    const mine = live.filter((instance) => instance.replica === replica);
    const current = mine.filter((instance) => isCurrent(instance, wanted));
    const keep = current.find((instance) => instance.ready) ?? current[0];
    if (!keep) {
      if (mayStart(replica)) start.push(replica);
      continue;
    }
    for (const extra of current) if (extra !== keep) stop.push(extra.instanceId);
    // The old instances of this replica go only once the new one is ready: no gap in service.
    if (keep.ready) for (const old of mine) if (!isCurrent(old, wanted)) stop.push(old.instanceId);
  }
  return { start, stop };
}

export interface StatusInput {
  wanted: Wanted;
  instances: readonly SeenInstance[];
  /** Set while a crashed replica waits to be started again. */
  backoff: { untilMs: number; reason: string } | null;
  /** Every replica of this generation exited with code 0 and is not restarted. */
  completed: boolean;
  nowMs: number;
}

/** The status shown to users, the same words for every runner. */
export function deriveStatus(input: StatusInput): { status: DeploymentStatus; detail: string | null } {
  const { wanted, instances } = input;
  if (wanted.desiredState === 'stopped') {
    return instances.length === 0
      ? { status: 'Stopped', detail: null }
      : { status: 'Stopping', detail: `${instances.length} instance(s) stopping` };
  }
  const readyReplicas = readyCurrentReplicas(wanted, instances);
  if (readyReplicas >= wanted.replicas) return { status: 'Running', detail: null };
  if (input.backoff) {
    const seconds = Math.max(0, Math.ceil((input.backoff.untilMs - input.nowMs) / 1000));
    return { status: 'Error', detail: `${input.backoff.reason}; restarting in ${seconds} s` };
  }
  if (input.completed && instances.length === 0) return { status: 'Completed', detail: 'exited with code 0' };
  return {
    status: 'Starting',
    detail: `${readyReplicas} of ${wanted.replicas} replica(s) ready`,
  };
}

export function readyCurrentReplicas(wanted: Wanted, instances: readonly SeenInstance[]): number {
  const ready = new Set<number>();
  for (const instance of instances)
    if (
      !instance.stopping &&
      instance.ready &&
      isCurrent(instance, wanted) &&
      instance.replica < wanted.replicas
    )
      ready.add(instance.replica);
  return ready.size;
}

/** Crash-loop backoff: 1 s, 2 s, 4 s ... up to a minute. */
export function backoffMs(consecutiveFailures: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, consecutiveFailures - 1));
}
