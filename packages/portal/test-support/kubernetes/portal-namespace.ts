import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAllYaml } from '@kubernetes/client-node';
import type { ControlPlane } from './control-plane.ts';

const rbacManifest = join(import.meta.dirname, '..', '..', '..', '..', 'deploy', 'kubernetes', 'rbac.yaml');

const paths: Record<string, string> = {
  ServiceAccount: '/api/v1/namespaces/{ns}/serviceaccounts',
  Role: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles',
  RoleBinding: '/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings',
};

interface ManifestObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  subjects?: { namespace?: string }[];
}

/**
 * A new namespace with the shipped Role, RoleBinding and ServiceAccount applied (exactly
 * deploy/kubernetes/rbac.yaml, only its namespace changed), and a kubeconfig that acts as that
 * service account with a token from the TokenRequest API: the portal's identity in a cluster.
 */
export async function createPortalNamespace(
  plane: ControlPlane,
  namespace: string,
): Promise<{ namespace: string; kubeconfig: string; token: string }> {
  const created = await plane.api('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace },
  });
  if (created.status !== 201)
    throw new Error(`creating namespace ${namespace}: ${JSON.stringify(created.body)}`);
  const objects = loadAllYaml(readFileSync(rbacManifest, 'utf8')) as ManifestObject[];
  let serviceAccount: string | null = null;
  for (const object of objects) {
    const path = paths[object.kind];
    if (!path) throw new Error(`rbac.yaml has a ${object.kind}, which this helper does not know`);
    object.metadata.namespace = namespace;
    for (const subject of object.subjects ?? []) subject.namespace = namespace;
    if (object.kind === 'ServiceAccount') serviceAccount = object.metadata.name;
    const answer = await plane.api('POST', path.replace('{ns}', namespace), object);
    if (answer.status !== 201) throw new Error(`applying ${object.kind}: ${JSON.stringify(answer.body)}`);
  }
  if (!serviceAccount) throw new Error('rbac.yaml has no ServiceAccount');
  const request = await plane.api(
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
    {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 7200 },
    },
  );
  const token = (request.body as { status?: { token?: string } }).status?.token;
  if (!token) throw new Error(`no service-account token: ${JSON.stringify(request.body)}`);
  return { namespace, token, kubeconfig: plane.kubeconfigFor(`portal-${namespace}`, token) };
}
