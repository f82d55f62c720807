import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod } from '@kubernetes/client-node';
import type { DeploymentRecord } from '../../storage/storage.ts';
import { describeApiError, type KubernetesApi } from './kubernetes-api.ts';
import { containerName, selectorFor } from './kubernetes-manifests.ts';

/**
 * A deployment's output from its pods' log endpoint (the kubelet keeps it; the portal stores
 * none). With several pods each line is prefixed with its pod's name; a pod that has no log
 * yet (not started, or no node) says why in one line instead.
 */
const byAge = (pods: V1Pod[]) =>
  [...pods].sort(
    (a, b) =>
      new Date(a.metadata?.creationTimestamp ?? 0).getTime() -
      new Date(b.metadata?.creationTimestamp ?? 0).getTime(),
  );

const prefixed = (text: string, prefix: string) =>
  prefix === ''
    ? text
    : text
        .split('\n')
        .map((line, i, all) => (i === all.length - 1 && line === '' ? '' : `${prefix}${line}`))
        .join('\n');

async function podTail(api: KubernetesApi, pod: V1Pod, tail: number, prefix: string): Promise<string> {
  const name = pod.metadata!.name!;
  try {
    const text = await api.podLog(name, containerName, tail);
    return prefixed(text.endsWith('\n') || text === '' ? text : `${text}\n`, prefix);
  } catch (error) {
    return `${prefix}[streamgate] no log from pod ${name} yet (${pod.status?.phase ?? 'unknown'}): ${describeApiError(error)}\n`;
  }
}

export async function readDeploymentLogs(api: KubernetesApi, deployment: DeploymentRecord, tail: number) {
  const pods = byAge(await api.listPods(selectorFor(deployment.deploymentId)));
  if (pods.length === 0) return '[streamgate] no pods run for this deployment now\n';
  const parts = await Promise.all(
    pods.map((pod) => podTail(api, pod, tail, pods.length > 1 ? `[${pod.metadata!.name}] ` : '')),
  );
  return parts.join('');
}

/**
 * The tail, then each pod's new output as it is written; pods that appear later (a rollout)
 * are followed from their start. Ends when `signal` aborts.
 */
export async function* followDeploymentLogs(
  api: KubernetesApi,
  deployment: DeploymentRecord,
  tail: number,
  signal: AbortSignal,
): AsyncIterable<string> {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  const push = (chunk: string) => {
    queue.push(chunk);
    wake?.();
  };
  const followed = new Set<string>();
  const follow = (pod: V1Pod, from: number) => {
    const name = pod.metadata!.name!;
    followed.add(name);
    void (async () => {
      try {
        for await (const chunk of api.followPodLog(name, containerName, from, signal))
          push(`[${name}] ${chunk}`);
      } catch (error) {
        if (!signal.aborted) push(`[streamgate] stopped following pod ${name}: ${describeApiError(error)}\n`);
        followed.delete(name); // tried again at the next look, once the pod has started
      }
    })();
  };
  const look = async (from: number) => {
    const pods = byAge(await api.listPods(selectorFor(deployment.deploymentId)));
    for (const pod of pods)
      if (!followed.has(pod.metadata!.name!) && pod.status?.phase === 'Running') follow(pod, from);
  };
  yield await readDeploymentLogs(api, deployment, tail);
  if (signal.aborted) return;
  // What the tail showed is not repeated: the followers start from the newest line.
  await look(0).catch(() => {});
  let lastLook = Date.now();
  while (!signal.aborted) {
    while (queue.length > 0) yield queue.shift()!;
    if (Date.now() - lastLook > 2000) {
      await look(10_000).catch(() => {});
      lastLook = Date.now();
    }
    await Promise.race([
      new Promise<void>((resolve) => {
        wake = resolve;
      }),
      sleep(1000, undefined, { signal }).catch(() => {}),
    ]);
    wake = null;
  }
}
