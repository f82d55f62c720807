import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type {
  DeploymentExit,
  DeploymentInstance,
  DeploymentObserved,
  DeploymentRecord,
} from '../../storage/storage.ts';
import { deriveStatus, isCurrent, type SeenInstance } from '../instance-plan.ts';
import { annotation, containerName } from './kubernetes-manifests.ts';

/**
 * What a deployment is on Kubernetes, in the words every runner reports (no I/O): one instance
 * per pod, with the token, generation and spec its pod template carries. A pod is ready when
 * its Ready condition is; the Deployment controller (maxUnavailable 0) removes an old pod only
 * once a new one is ready, so "no instance on the old token and every replica ready" is the
 * rollout having finished.
 */

/** Waiting reasons that will not fix themselves soon: reported as Error. */
const stuck = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

const signals: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  6: 'SIGABRT',
  9: 'SIGKILL',
  15: 'SIGTERM',
};

interface PodSeen {
  pod: V1Pod;
  instance: Omit<DeploymentInstance, 'replica'>;
}

function podInstance(pod: V1Pod): PodSeen {
  const notes = pod.metadata?.annotations ?? {};
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
  const created = pod.metadata?.creationTimestamp ?? new Date(0);
  return {
    pod,
    instance: {
      instanceId: pod.metadata?.name ?? '',
      pid: 0,
      startTicks: pod.metadata?.uid ?? '',
      tokenId: notes[annotation.tokenId] ?? '',
      generation: Number(notes[annotation.generation] ?? 0),
      specVersion: Number(notes[annotation.specVersion] ?? 0),
      startedAt: new Date(pod.status?.startTime ?? created).toISOString(),
      readyAt:
        ready && !pod.metadata?.deletionTimestamp
          ? new Date(ready.lastTransitionTime ?? created).toISOString()
          : null,
      stopping: Boolean(pod.metadata?.deletionTimestamp),
    },
  };
}

/**
 * Pods have no replica index; the instances get one so that "every replica has a ready
 * instance" reads as it does for processes: live, ready and current pods take the low indexes.
 */
function assignReplicas(seen: PodSeen[], wanted: Parameters<typeof isCurrent>[1]): DeploymentInstance[] {
  const rank = (p: PodSeen) => [
    p.instance.stopping ? 1 : 0,
    p.instance.readyAt ? 0 : 1,
    isCurrent({ ...p.instance, replica: 0, ready: false }, wanted) ? 0 : 1,
  ];
  const ordered = [...seen].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return (
      a.instance.startedAt.localeCompare(b.instance.startedAt) ||
      a.instance.instanceId.localeCompare(b.instance.instanceId)
    );
  });
  return ordered.map((p, replica) => ({ ...p.instance, replica }));
}

function lastExitOf(pods: readonly V1Pod[]): DeploymentExit | null {
  let last: DeploymentExit | null = null;
  for (const pod of pods)
    for (const status of pod.status?.containerStatuses ?? []) {
      const ended = status.state?.terminated ?? status.lastState?.terminated;
      if (!ended?.finishedAt) continue;
      const at = new Date(ended.finishedAt).toISOString();
      if (last && last.at >= at) continue;
      last = {
        code: ended.signal ? null : ended.exitCode,
        signal: ended.signal ? (signals[ended.signal] ?? `signal ${ended.signal}`) : null,
        at,
      };
    }
  return last;
}

/** A reason the deployment cannot come up by itself: a stuck container, or the Deployment's own verdict. */
function problemOf(live: V1Deployment | null, pods: readonly V1Pod[]): string | null {
  for (const pod of pods)
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && stuck.has(waiting.reason))
        return `pod ${pod.metadata?.name}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
    }
  for (const condition of live?.status?.conditions ?? []) {
    if (condition.type === 'ReplicaFailure' && condition.status === 'True')
      return `Kubernetes cannot create its pods: ${condition.message ?? condition.reason}`;
    if (condition.type === 'Progressing' && condition.status === 'False')
      return `the rollout has stalled (${condition.reason}): ${condition.message ?? ''}`.trim();
  }
  return null;
}

function rolloutNote(live: V1Deployment | null, replicas: number): string | null {
  const status = live?.status;
  if (!live || !status) return null;
  if ((status.observedGeneration ?? 0) < (live.metadata?.generation ?? 0))
    return 'the rollout has not started yet';
  return `rollout: ${status.updatedReplicas ?? 0} of ${replicas} updated, ${status.availableReplicas ?? 0} available`;
}

export function observeDeployment(input: {
  record: DeploymentRecord;
  live: V1Deployment | null;
  pods: readonly V1Pod[];
  /** Why Streamgate leaves the Deployment alone (changed or deleted outside it), if it does. */
  outside: string | null;
  nowMs: number;
}): DeploymentObserved {
  const { record, live } = input;
  const wanted = { ...record, replicas: record.spec.replicas };
  const pods = input.pods.filter(
    (pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed',
  );
  const instances = assignReplicas(pods.map(podInstance), wanted);
  const restartCount = pods
    .flatMap((pod) => pod.status?.containerStatuses ?? [])
    .filter((status) => status.name === containerName)
    .reduce((sum, status) => sum + status.restartCount, 0);
  const base = {
    restartCount,
    lastExit: lastExitOf(input.pods) ?? record.observed.lastExit,
    instances,
  };
  if (input.outside) return { ...base, status: 'Error', statusDetail: input.outside };
  const seen: SeenInstance[] = instances.map((i) => ({ ...i, ready: i.readyAt !== null }));
  const derived = deriveStatus({
    wanted,
    instances: seen,
    backoff: null,
    completed: false,
    nowMs: input.nowMs,
  });
  if (derived.status === 'Starting') {
    const problem = problemOf(live, pods);
    if (problem) return { ...base, status: 'Error', statusDetail: problem };
    const note = rolloutNote(live, record.spec.replicas);
    return {
      ...base,
      status: 'Starting',
      statusDetail: note ? `${derived.detail}; ${note}` : derived.detail,
    };
  }
  return { ...base, status: derived.status, statusDetail: derived.detail };
}

/** Every pod current and ready, as the pods show it. */
export const looksDone = (deployment: DeploymentRecord, observed: DeploymentObserved) =>
  observed.status === 'Running' &&
  observed.instances.every((i) => i.tokenId === deployment.tokenId && i.generation === deployment.generation);

/** The Deployment's own verdict (as `kubectl rollout status`): the controller saw the spec and finished. */
export function rolledOut(deployment: V1Deployment): boolean {
  const want = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
    (status.updatedReplicas ?? 0) === want &&
    (status.availableReplicas ?? 0) >= want &&
    (status.replicas ?? 0) === want
  );
}
