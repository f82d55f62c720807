import type { ControlPlane } from './control-plane.ts';

interface Pod {
  metadata: {
    name: string;
    deletionTimestamp?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec: { containers: { name: string; image: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface PodReadiness {
  /** Pods this returns false for stay Pending (until it says true). */
  hold(predicate: (pod: Pod) => boolean): void;
  release(): void;
  /** Pods marked ready so far, by name. */
  readonly marked: ReadonlySet<string>;
  stop(): Promise<void>;
}

/**
 * The kubelet's part, played through the real API: no kubelet runs in the test control plane,
 * so pods the ReplicaSet controller creates stay Pending. This marks each new pod Running and
 * Ready through its status subresource (as a kubelet reports it); everything else, ReplicaSets,
 * rolling updates, scaling down old pods, stays with the real controllers.
 */
export function startPodReadiness(plane: ControlPlane, namespace: string): PodReadiness {
  const marked = new Set<string>();
  const state: { held: ((pod: Pod) => boolean) | null } = { held: null };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const list = await plane.api('GET', `/api/v1/namespaces/${namespace}/pods`).catch(() => null);
      for (const pod of (list?.body as { items?: Pod[] } | undefined)?.items ?? []) {
        if (stopped || pod.metadata.deletionTimestamp || marked.has(pod.metadata.name)) continue;
        if (state.held?.(pod)) continue;
        const now = new Date().toISOString();
        const condition = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
        const answer = await plane.api(
          'PATCH',
          `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`,
          {
            status: {
              phase: 'Running',
              startTime: now,
              conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map(condition),
              containerStatuses: pod.spec.containers.map((container) => ({
                name: container.name,
                image: container.image,
                imageID: '',
                ready: true,
                started: true,
                restartCount: 0,
                state: { running: { startedAt: now } },
              })),
            },
          },
          'application/merge-patch+json',
        );
        if (answer.status === 200) marked.add(pod.metadata.name);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    hold(predicate) {
      state.held = predicate;
    },
    release() {
      state.held = null;
    },
    marked,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
