import type { Clock } from '../../clock.ts';
import type { PortalConfig } from '../../config.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { PortalLogger } from '../../logger.ts';
import type { DeploymentStorage, TokenStorage } from '../../storage/storage.ts';
import type { DeploymentRunner } from '../runner.ts';
import { loadKubeConfig, resolveNamespace } from './kube-config.ts';
import { createKubernetesApi } from './kubernetes-api.ts';
import { createKubernetesRunner } from './kubernetes-runner.ts';

/** STREAMGATE_RUNNER=kubernetes: the cluster from KUBECONFIG or the pod's service account. */
export function kubernetesRunnerFromConfig(deps: {
  store: DeploymentStorage & TokenStorage;
  box: SecretBox;
  clock: Clock;
  logger: PortalLogger;
  config: PortalConfig;
}): DeploymentRunner {
  const { config } = deps;
  const kubeConfig = loadKubeConfig({ kubeconfig: config.kubernetes.kubeconfig });
  const namespace = resolveNamespace(config.kubernetes.namespace, kubeConfig);
  deps.logger.info(
    { namespace, server: kubeConfig.getCurrentCluster()?.server },
    'deployments run on Kubernetes',
  );
  return createKubernetesRunner({
    ...deps,
    api: createKubernetesApi(kubeConfig, namespace),
    options: { portalUrl: config.publicUrl, stopGraceMs: config.deployments.stopGraceMs },
  });
}
