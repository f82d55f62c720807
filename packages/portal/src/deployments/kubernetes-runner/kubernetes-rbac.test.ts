import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  loadAllYaml,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../../test-support/kubernetes/control-plane.ts';
import { createPortalNamespace } from '../../../test-support/kubernetes/portal-namespace.ts';
import { loadKubeConfig } from './kube-config.ts';

/**
 * The shipped Role (deploy/kubernetes/rbac.yaml) against the real RBAC authorizer: the portal's
 * service account does what the runner needs in its namespace and is refused everything else.
 */
describe('kubernetes: the portal’s service account under the shipped Role', () => {
  let plane: ControlPlane;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let rbac: RbacAuthorizationV1Api;
  const namespace = 'streamgate-rbac';

  before(async () => {
    plane = await startControlPlane();
    const { kubeconfig } = await createPortalNamespace(plane, namespace);
    const other = await plane.api('POST', '/api/v1/namespaces', { metadata: { name: 'elsewhere' } });
    assert.equal(other.status, 201);
    const seeded = await plane.api('POST', '/api/v1/namespaces/elsewhere/secrets', {
      metadata: { name: 'someone-elses' },
      stringData: { password: 'not for the portal' },
    });
    assert.equal(seeded.status, 201);
    const config = loadKubeConfig({ kubeconfig });
    core = config.makeApiClient(CoreV1Api);
    apps = config.makeApiClient(AppsV1Api);
    rbac = config.makeApiClient(RbacAuthorizationV1Api);
  });
  after(async () => {
    await plane?.stop();
  });

  const refused = async (what: string, call: () => Promise<unknown>) => {
    await assert.rejects(call, (error: unknown) => {
      assert.ok(error instanceof ApiException, `${what}: ${String(error)}`);
      assert.equal(error.code, 403, `${what} answered ${error.code}`);
      return true;
    });
  };

  it('may do what the runner does in its own namespace', async () => {
    await apps.listNamespacedDeployment({ namespace });
    await core.listNamespacedPod({ namespace });
    const secret = await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'probe' }, stringData: { a: 'b' } },
    });
    assert.equal(secret.metadata?.name, 'probe');
    await core.deleteNamespacedSecret({ name: 'probe', namespace });
  });

  it('is refused outside its namespace and outside its Role', async () => {
    await refused('reading Secrets in another namespace', () =>
      core.listNamespacedSecret({ namespace: 'elsewhere' }),
    );
    await refused('reading one Secret in another namespace', () =>
      core.readNamespacedSecret({ name: 'someone-elses', namespace: 'elsewhere' }),
    );
    await refused('Deployments in another namespace', () =>
      apps.createNamespacedDeployment({
        namespace: 'elsewhere',
        body: {
          metadata: { name: 'x' },
          spec: {
            selector: { matchLabels: { a: 'b' } },
            template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
          },
        },
      }),
    );
    await refused('Secrets across all namespaces', () => core.listSecretForAllNamespaces());
    await refused('creating a ClusterRole', () =>
      rbac.createClusterRole({ body: { metadata: { name: 'streamgate-escalation' }, rules: [] } }),
    );
    await refused('widening its own Role', () =>
      rbac.createNamespacedRole({
        namespace,
        body: {
          metadata: { name: 'more' },
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
        },
      }),
    );
    await refused('ConfigMaps (not in the Role)', () => core.listNamespacedConfigMap({ namespace }));
    await refused('exec into pods', () =>
      core.connectPostNamespacedPodExec({ name: 'any', namespace, command: 'sh' }),
    );
    await refused('nodes', () => core.listNode());
    await refused('deleting its namespace', () => core.deleteNamespace({ name: namespace }));
  });

  it('deploy/kubernetes/portal.yaml is accepted by the API server (a server-side dry run)', async () => {
    const manifest = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      '..',
      '..',
      'deploy',
      'kubernetes',
      'portal.yaml',
    );
    const objects = loadAllYaml(readFileSync(manifest, 'utf8')) as {
      kind: string;
      metadata: { namespace: string };
    }[];
    assert.deepEqual(
      objects.map((o) => o.kind),
      ['Deployment', 'Service'],
    );
    for (const object of objects) {
      object.metadata.namespace = namespace;
      const path =
        object.kind === 'Deployment'
          ? `/apis/apps/v1/namespaces/${namespace}/deployments`
          : `/api/v1/namespaces/${namespace}/services`;
      const answer = await plane.api('POST', `${path}?dryRun=All&fieldValidation=Strict`, object);
      assert.equal(answer.status, 201, `${object.kind}: ${JSON.stringify(answer.body)}`);
    }
  });
});
