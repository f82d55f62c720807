import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Where the portal reaches Kubernetes: the kubeconfig file(s) named by KUBECONFIG when set,
 * else the pod's own service account (in-cluster). Nothing else is guessed: a portal that
 * finds neither refuses to start rather than run deployments somewhere unexpected.
 */
export function loadKubeConfig(options: { kubeconfig: string | null }): KubeConfig {
  const config = new KubeConfig();
  if (options.kubeconfig) {
    const files = options.kubeconfig.split(':').filter(Boolean);
    const [first, ...rest] = files;
    config.loadFromFile(first!);
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      config.mergeConfig(more);
    }
    return config;
  }
  if (process.env.KUBERNETES_SERVICE_HOST && existsSync(`${serviceAccountDir}/token`)) {
    config.loadFromCluster();
    return config;
  }
  throw new Error(
    'STREAMGATE_RUNNER=kubernetes needs KUBECONFIG, or to run in a pod with a service account (deploy/kubernetes/).',
  );
}

/** STREAMGATE_KUBE_NAMESPACE, else the pod's own namespace, else the kubeconfig context's, else 'default'. */
export function resolveNamespace(configured: string | null, config: KubeConfig): string {
  if (configured) return configured;
  if (existsSync(`${serviceAccountDir}/namespace`))
    return readFileSync(`${serviceAccountDir}/namespace`, 'utf8').trim();
  const context = config.getContextObject(config.getCurrentContext());
  return context?.namespace || 'default';
}
