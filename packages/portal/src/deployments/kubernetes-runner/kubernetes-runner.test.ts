import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { V1Deployment, V1ReplicaSet, V1Secret } from '@kubernetes/client-node';
import { type ControlPlane, startControlPlane } from '../../../test-support/kubernetes/control-plane.ts';
import { type PodReadiness, startPodReadiness } from '../../../test-support/kubernetes/pod-readiness.ts';
import { createPortalNamespace } from '../../../test-support/kubernetes/portal-namespace.ts';
import { systemClock } from '../../clock.ts';
import { createSecretBox, type SecretBox } from '../../crypto/secret-box.ts';
import { createSqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import type { DeploymentRecord, Store } from '../../storage/storage.ts';
import { sealVariable } from '../deployment-secrets.ts';
import { runRunnerContract } from '../runner.contract.ts';
import type { DeploymentRunner } from '../runner.ts';
import { loadKubeConfig } from './kube-config.ts';
import { createKubernetesApi } from './kubernetes-api.ts';
import { annotation, label, objectNames } from './kubernetes-manifests.ts';
import { createKubernetesRunner } from './kubernetes-runner.ts';

/**
 * The Kubernetes runner against a real kube-apiserver, etcd and kube-controller-manager (built
 * from the Go module proxy, cached; see test-support/kubernetes). The runner acts as the
 * portal's service account, bound by the shipped Role only. No kubelet runs: pod-readiness.ts
 * marks pods ready through the API, and the real controllers do the rest (ReplicaSets, rolling
 * updates, scaling old pods down).
 */
const dir = mkdtempSync(join(tmpdir(), 'streamgate-kube-runner-'));
const silent = { info() {}, warn() {}, error() {} };
let plane: ControlPlane;
let namespaces = 0;

before(async () => {
  plane = await startControlPlane();
});
after(async () => {
  await plane?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function openRunner(box: SecretBox, name: string) {
  const { namespace, kubeconfig } = await createPortalNamespace(plane, `${name}-${++namespaces}`);
  const readiness = startPodReadiness(plane, namespace);
  const store = createSqliteStore(join(dir, `${namespace}.db`));
  await store.migrate();
  const runner = createKubernetesRunner({
    store,
    box,
    clock: systemClock,
    logger: silent,
    api: createKubernetesApi(loadKubeConfig({ kubeconfig }), namespace),
    options: { portalUrl: 'http://portal.test', stopGraceMs: 1000, tickMs: 200 },
  });
  await runner.start();
  return {
    namespace,
    store,
    runner,
    readiness,
    async close() {
      await runner.stop();
      await readiness.stop();
      await store.close();
    },
  };
}

runRunnerContract('kubernetes', async (box) => {
  const opened = await openRunner(box, 'contract');
  return {
    store: opened.store,
    box,
    runner: opened.runner,
    image: 'registry.example/forever:1',
    forever: ['sleep', 'infinity'],
    close: opened.close,
  };
});

describe('kubernetes runner: the objects it writes, and what it leaves alone', () => {
  const box = createSecretBox(randomBytes(32));
  let store: Store;
  let runner: DeploymentRunner;
  let readiness: PodReadiness;
  let namespace: string;
  let close: () => Promise<void>;
  let serial = 0;
  const workspaceId = 'kube';
  const tokenId = (slot: 1 | 2) => `st-kube-${slot}`;
  const tokenValue = (slot: 1 | 2) => `sgs_value-of-token-${slot}-${'x'.repeat(20)}`;

  before(async () => {
    ({ store, runner, readiness, namespace, close } = await openRunner(box, 'objects'));
    await store.createWorkspace({
      workspace: { workspaceId, name: workspaceId, createdAt: new Date() },
      tokens: ([1, 2] as const).map((slot) => ({
        id: tokenId(slot),
        workspaceId,
        slot,
        tokenHash: `hash-${slot}`,
        sealedValue: box.seal(tokenValue(slot), `streaming-token:${workspaceId}:${tokenId(slot)}`),
        createdAt: new Date(),
        deactivatedAt: null,
      })) as [never, never],
    });
  });
  after(async () => {
    await close();
  });

  const get = async <T>(path: string) => {
    const answer = await plane.api('GET', path);
    return answer.status === 200 ? (answer.body as T) : null;
  };
  const liveDeployment = (d: DeploymentRecord) =>
    get<V1Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${objectNames(d).deployment}`);
  const liveSecret = (d: DeploymentRecord) =>
    get<V1Secret>(`/api/v1/namespaces/${namespace}/secrets/${objectNames(d).secret}`);
  const replicaSets = async (d: DeploymentRecord) =>
    (
      (
        await get<{ items: V1ReplicaSet[] }>(
          `/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${label.deploymentId}%3D${d.deploymentId}`,
        )
      )?.items ?? []
    ).sort(
      (a, b) =>
        Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision']) -
        Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision']),
    );
  const observe = async (d: DeploymentRecord) => (await store.findDeployment(d.workspaceId, d.deploymentId))!;
  const until = async <T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 30_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const statusIs = (d: DeploymentRecord, status: string, detail?: RegExp) =>
    until(`${d.name} ${status}`, async () => {
      const now = await observe(d);
      return (
        now.observed.status === status && (!detail || detail.test(now.observed.statusDetail ?? '')) && now
      );
    });
  const change = async (d: DeploymentRecord, changes: Parameters<Store['updateDeployment']>[2]) => {
    await store.updateDeployment(d.workspaceId, d.deploymentId, changes);
    runner.poke();
  };
  const deploy = async (overrides: Partial<DeploymentRecord['spec']> = {}) => {
    const deploymentId = `dep-Kube${++serial}`;
    const record: DeploymentRecord = {
      deploymentId,
      workspaceId,
      name: `svc-${serial}`,
      spec: {
        image: 'registry.example/service:2.1',
        command: ['python', 'main.py', '--verbose'],
        workingDirectory: '/app',
        variables: {
          GREETING: { secret: false, value: 'hello' },
          API_KEY: {
            secret: true,
            value: sealVariable(box, deploymentId, 'API_KEY', 'api-key-secret-value'),
          },
        },
        replicas: 2,
        ...overrides,
      },
      specVersion: 1,
      desiredState: 'running',
      tokenId: tokenId(1),
      generation: 1,
      observed: { status: 'Starting', statusDetail: null, restartCount: 0, lastExit: null, instances: [] },
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await store.insertDeployment(record);
    runner.poke();
    return record;
  };

  it('a Deployment that names its Secret, and a Secret that holds the token and the secret variables', async () => {
    const d = await deploy();
    await statusIs(d, 'Running');
    const deployment = (await liveDeployment(d))!;
    const secret = (await liveSecret(d))!;
    const text = JSON.stringify(deployment);
    assert.ok(!text.includes(tokenValue(1)), 'the token is not in the Deployment');
    assert.ok(!text.includes('api-key-secret-value'), 'nor is a secret variable');
    assert.equal(deployment.metadata?.labels?.[label.workspace], workspaceId);
    assert.equal(deployment.metadata?.labels?.[label.deploymentId], d.deploymentId);
    assert.equal(deployment.spec?.replicas, 2);
    assert.deepEqual(deployment.spec?.strategy?.rollingUpdate, { maxSurge: 1, maxUnavailable: 0 });
    const [container] = deployment.spec!.template.spec!.containers;
    assert.equal(container!.image, 'registry.example/service:2.1');
    assert.deepEqual(container!.command, ['python', 'main.py', '--verbose']);
    assert.equal(container!.workingDir, '/app');
    assert.deepEqual(container!.envFrom, [{ secretRef: { name: objectNames(d).secret } }]);
    assert.deepEqual(
      container!.env?.map((v) => v.name),
      ['GREETING', 'Quix__Deployment__ReplicaName'],
    );
    assert.equal(deployment.spec!.template.spec!.automountServiceAccountToken, false);
    const data = Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
    );
    assert.deepEqual(data, {
      API_KEY: 'api-key-secret-value',
      Quix__Sdk__Token: tokenValue(1),
      Quix__Portal__Api: 'http://portal.test',
      Quix__Workspace__Id: workspaceId,
      Quix__Deployment__Id: d.deploymentId,
      Quix__Deployment__Name: d.name,
    });
    const now = await observe(d);
    assert.equal(now.observed.instances.length, 2);
    assert.ok(now.observed.instances.every((i) => i.tokenId === tokenId(1) && i.readyAt));
  });

  it('restart: a new pod-template annotation, a new ReplicaSet, the old one scaled down', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    const before = (await liveDeployment(d))!;
    assert.equal(before.spec!.template.metadata!.annotations![annotation.generation], '1');
    await change(d, { restart: true, updatedAt: new Date() });
    await until('the restart rolled out', async () => {
      const now = await observe(d);
      return (
        now.observed.status === 'Running' && now.observed.instances.every((i) => i.generation === 2) && now
      );
    });
    const after = (await liveDeployment(d))!;
    assert.equal(after.spec!.template.metadata!.annotations![annotation.generation], '2');
    assert.equal(after.metadata!.generation, before.metadata!.generation! + 1);
    assert.equal(after.status?.observedGeneration, after.metadata!.generation);
    const sets = await replicaSets(d);
    assert.equal(sets.length, 2);
    assert.deepEqual(
      sets.map((set) => [
        set.spec?.template?.metadata?.annotations?.[annotation.generation],
        set.spec?.replicas,
      ]),
      [
        ['1', 0],
        ['2', 1],
      ],
    );
  });

  it('stop and start: replicas 0, then back; the template (and the ReplicaSet) stays', async () => {
    const d = await deploy();
    await statusIs(d, 'Running');
    await change(d, { desiredState: 'stopped', updatedAt: new Date() });
    await statusIs(d, 'Stopped');
    assert.equal((await liveDeployment(d))!.spec!.replicas, 0);
    assert.equal((await observe(d)).observed.instances.length, 0);
    await change(d, { desiredState: 'running', updatedAt: new Date() });
    await statusIs(d, 'Running');
    assert.equal((await liveDeployment(d))!.spec!.replicas, 2);
    assert.equal((await replicaSets(d)).length, 1);
  });

  it('a token move: the Secret holds Token 2, the template names it, and no pod is left on Token 1', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    await change(d, { tokenId: tokenId(2), restart: true, onlyIfTokenId: tokenId(1), updatedAt: new Date() });
    await until('moved to Token 2', async () => {
      const now = await observe(d);
      return (
        now.observed.status === 'Running' &&
        now.observed.instances.every((i) => i.tokenId === tokenId(2)) &&
        now
      );
    });
    const secret = (await liveSecret(d))!;
    assert.equal(Buffer.from(secret.data!.Quix__Sdk__Token!, 'base64').toString(), tokenValue(2));
    const deployment = (await liveDeployment(d))!;
    assert.equal(deployment.spec!.template.metadata!.annotations![annotation.tokenId], tokenId(2));
    assert.ok(!JSON.stringify(deployment).includes(tokenValue(2)));
  });

  it('a Deployment changed outside Streamgate is reported, not fought; a restart applies Streamgate’s spec again', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    const name = objectNames(d).deployment;
    const scaled = await plane.api(
      'PATCH',
      `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      { spec: { replicas: 3 } },
      'application/merge-patch+json',
    );
    assert.equal(scaled.status, 200);
    await statusIs(d, 'Error', /changed outside Streamgate/);
    runner.poke();
    await statusIs(d, 'Error', /changed outside Streamgate/);
    assert.equal((await liveDeployment(d))!.spec!.replicas, 3, 'left as the outside change made it');
    await change(d, { restart: true, updatedAt: new Date() });
    await statusIs(d, 'Running');
    assert.equal((await liveDeployment(d))!.spec!.replicas, 1);
  });

  it('a Deployment deleted outside Streamgate is reported and not re-created until a restart', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    const name = objectNames(d).deployment;
    const deleted = await plane.api('DELETE', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);
    assert.equal(deleted.status, 200);
    await statusIs(d, 'Error', /deleted outside Streamgate/);
    runner.poke();
    await statusIs(d, 'Error', /deleted outside Streamgate/);
    assert.equal(await liveDeployment(d), null, 'not re-created behind the back of whoever deleted it');
    await change(d, { restart: true, updatedAt: new Date() });
    await statusIs(d, 'Running');
    assert.ok(await liveDeployment(d));
  });

  it('no image: Error, and nothing is written', async () => {
    const d = await deploy({ image: null });
    await statusIs(d, 'Error', /no image/);
    assert.equal(await liveDeployment(d), null);
    assert.equal(await liveSecret(d), null);
  });

  it('logs come from the pods’ log endpoint (which the Role allows); without a node each pod says why', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    const pod = (await observe(d)).observed.instances[0]!.instanceId;
    const text = await runner.logs(d, 50);
    assert.match(text, new RegExp(`no log from pod ${pod}`));
    assert.doesNotMatch(text, /forbidden/i, 'the service account may read pod logs');
    assert.equal(readiness.marked.has(pod), true);
  });

  it('follows logs: the tail first, then until the reader leaves', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    const abort = new AbortController();
    const chunks: string[] = [];
    for await (const chunk of runner.followLogs(d, 20, abort.signal)) {
      chunks.push(chunk);
      abort.abort();
    }
    assert.match(chunks[0]!, /no log from pod/);
  });

  it('deletes the objects of a deployment that storage no longer has, even when forget never came', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    assert.ok(await liveSecret(d));
    await store.deleteDeployment(d.workspaceId, d.deploymentId);
    runner.poke();
    await until(
      'the Deployment and Secret gone',
      async () => !(await liveDeployment(d)) && !(await liveSecret(d)),
    );
  });

  it('forget deletes the Deployment and the Secret', async () => {
    const d = await deploy({ replicas: 1 });
    await statusIs(d, 'Running');
    await store.deleteDeployment(d.workspaceId, d.deploymentId);
    await runner.forget(d.deploymentId);
    assert.equal(await liveSecret(d), null);
    await until('the Deployment gone', async () => (await liveDeployment(d)) === null);
  });
});
