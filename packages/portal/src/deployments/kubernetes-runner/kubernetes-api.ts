import { PassThrough } from 'node:stream';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  Log,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1Pod,
  type V1Secret,
} from '@kubernetes/client-node';

/**
 * The few calls the runner makes, all in one namespace, through the official client: the
 * Role in deploy/kubernetes/rbac.yaml allows exactly these (Deployments and Secrets; pods and
 * their logs read-only). A missing object is null; a conflict (someone wrote in between) throws
 * and the next tick tries again.
 */
export interface KubernetesApi {
  readonly namespace: string;
  readDeployment(name: string): Promise<V1Deployment | null>;
  createDeployment(body: V1Deployment): Promise<V1Deployment>;
  /** A JSON merge patch (arrays replaced whole), guarded by `body.metadata.resourceVersion` when given. */
  patchDeployment(name: string, body: object): Promise<V1Deployment>;
  deleteDeployment(name: string): Promise<void>;
  listDeployments(labelSelector: string): Promise<V1Deployment[]>;
  readSecret(name: string): Promise<V1Secret | null>;
  createSecret(body: V1Secret): Promise<V1Secret>;
  replaceSecret(name: string, body: V1Secret): Promise<V1Secret>;
  patchSecret(name: string, body: object): Promise<V1Secret>;
  deleteSecret(name: string): Promise<void>;
  listSecrets(labelSelector: string): Promise<V1Secret[]>;
  listPods(labelSelector: string): Promise<V1Pod[]>;
  podLog(name: string, container: string, tailLines: number): Promise<string>;
  /** Streams a pod's log (from `tailLines` back) into `into` until `signal` aborts or the pod ends. */
  followPodLog(
    name: string,
    container: string,
    tailLines: number,
    signal: AbortSignal,
  ): AsyncIterable<string>;
}

export const isNotFound = (error: unknown) => error instanceof ApiException && error.code === 404;

const orNull = async <T>(call: Promise<T>): Promise<T | null> => {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
};

const ignoreMissing = async (call: Promise<unknown>) => {
  await orNull(call);
};

/** An API error as one line: the server's own message, never the request (which may hold a token). */
export function describeApiError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = (typeof error.body === 'string' ? safeParse(error.body) : error.body) as {
      message?: string;
    } | null;
    return `Kubernetes API ${error.code}: ${body?.message ?? 'no message'}`;
  }
  return error instanceof Error ? error.message : String(error);
}

const safeParse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
};

export function createKubernetesApi(kubeConfig: KubeConfig, namespace: string): KubernetesApi {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const background = { namespace, propagationPolicy: 'Background' };
  return {
    namespace,
    readDeployment: (name) => orNull(apps.readNamespacedDeployment({ name, namespace })),
    createDeployment: (body) => apps.createNamespacedDeployment({ namespace, body }),
    patchDeployment: (name, body) => apps.patchNamespacedDeployment({ name, namespace, body }, mergePatch),
    deleteDeployment: (name) => ignoreMissing(apps.deleteNamespacedDeployment({ name, ...background })),
    listDeployments: async (labelSelector) =>
      (await apps.listNamespacedDeployment({ namespace, labelSelector })).items,
    readSecret: (name) => orNull(core.readNamespacedSecret({ name, namespace })),
    createSecret: (body) => core.createNamespacedSecret({ namespace, body }),
    replaceSecret: (name, body) => core.replaceNamespacedSecret({ name, namespace, body }),
    patchSecret: (name, body) => core.patchNamespacedSecret({ name, namespace, body }, mergePatch),
    deleteSecret: (name) => ignoreMissing(core.deleteNamespacedSecret({ name, namespace })),
    listSecrets: async (labelSelector) =>
      (await core.listNamespacedSecret({ namespace, labelSelector })).items,
    listPods: async (labelSelector) => (await core.listNamespacedPod({ namespace, labelSelector })).items,
    podLog: (name, container, tailLines) =>
      core.readNamespacedPodLog({ name, namespace, container, tailLines }).then((text) => text ?? ''),
    async *followPodLog(name, container, tailLines, signal) {
      const into = new PassThrough({ encoding: 'utf8' });
      const request = await new Log(kubeConfig).log(namespace, name, container, into, {
        follow: true,
        tailLines,
      });
      const abort = () => {
        request.abort();
        into.end();
      };
      signal.addEventListener('abort', abort, { once: true });
      try {
        for await (const chunk of into) yield chunk as string;
      } finally {
        signal.removeEventListener('abort', abort);
        request.abort();
      }
    },
  };
}
