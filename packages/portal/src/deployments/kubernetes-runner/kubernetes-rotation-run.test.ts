import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import type { InjectOptions } from 'fastify';
import { type ControlPlane, startControlPlane } from '../../../test-support/kubernetes/control-plane.ts';
import { type PodReadiness, startPodReadiness } from '../../../test-support/kubernetes/pod-readiness.ts';
import { createPortalNamespace } from '../../../test-support/kubernetes/portal-namespace.ts';
import { bearer, type Caller, type Harness, startHarness } from '../../../test-support/portal-harness.ts';
import { waitFor } from '../../../test-support/wait-for.ts';
import { annotation, label, objectNames } from './kubernetes-manifests.ts';

/**
 * A zero-downtime rotation run through the portal's own executor, with STREAMGATE_RUNNER=
 * kubernetes against a real API server: two Deployments move to Token 2 one after the other,
 * the second only once the first's rollout has completed, then the pair rotates. Readiness of
 * the new pods is held back (no kubelet runs; the test plays its part) to look at the run while
 * a rollout is under way.
 */

describe('kubernetes: a zero-downtime rotation run', () => {
  const namespace = 'streamgate-rotation';
  const ws = 'kuberot';
  let plane: ControlPlane;
  let readiness: PodReadiness;
  let h: Harness;
  let admin: Caller;

  before(async () => {
    plane = await startControlPlane();
    const { kubeconfig } = await createPortalNamespace(plane, namespace);
    readiness = startPodReadiness(plane, namespace);
    h = await startHarness({
      env: {
        STREAMGATE_RUNNER: 'kubernetes',
        STREAMGATE_KUBE_NAMESPACE: namespace,
        KUBECONFIG: kubeconfig,
        STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS: '2',
        STREAMGATE_BROKER_JWT_TTL_SECONDS: '10',
      },
    });
    h.portal.start({ reconcile: false });
    admin = await h.admin();
    await h.createWorkspace(ws);
  });
  after(async () => {
    await h?.close();
    await readiness?.stop();
    await plane?.stop();
  });

  const call = (method: InjectOptions['method'], url: string, payload?: unknown, headers = {}) =>
    h.inject({
      method,
      url,
      headers: { ...admin.headers, ...headers },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  const live = async (d: { deploymentId: string; name: string }) =>
    (await plane.api('GET', `/apis/apps/v1/namespaces/${namespace}/deployments/${objectNames(d).deployment}`))
      .body as V1Deployment;
  const secretToken = async (d: { deploymentId: string; name: string }) => {
    const secret = (
      await plane.api('GET', `/api/v1/namespaces/${namespace}/secrets/${objectNames(d).secret}`)
    ).body as V1Secret;
    return Buffer.from(secret.data!.Quix__Sdk__Token!, 'base64').toString();
  };
  const templateToken = async (d: { deploymentId: string; name: string }) =>
    (await live(d)).spec!.template.metadata!.annotations![annotation.tokenId];
  const rolledOut = (deployment: V1Deployment) => {
    const want = deployment.spec!.replicas!;
    const status = deployment.status ?? {};
    return (
      status.observedGeneration === deployment.metadata!.generation &&
      status.updatedReplicas === want &&
      status.availableReplicas === want &&
      status.replicas === want
    );
  };
  const run = async (id: string) =>
    (await call('GET', `/workspaces/${ws}/streaming-tokens/rotations/${id}`)).json();
  const tokenOf = (pod: {
    metadata: { annotations?: Record<string, string>; labels?: Record<string, string> };
  }) => ({
    tokenId: pod.metadata.annotations?.[annotation.tokenId],
    deploymentId: pod.metadata.labels?.[label.deploymentId],
  });

  it('moves two Deployments in order, each after the previous rollout completed, then rotates', async () => {
    const tokens = (await call('GET', `/workspaces/${ws}/streaming-tokens`)).json();
    const before = { token1: tokens.token1, token2: tokens.token2 };
    const refused = await call('POST', `/workspaces/${ws}/deployments`, { name: 'no-image', command: ['x'] });
    assert.equal(refused.statusCode, 400, 'an image is required on Kubernetes');
    assert.match(refused.json().message, /image is required/);
    const created = [];
    for (const name of ['first', 'second']) {
      const response = await call('POST', `/workspaces/${ws}/deployments`, {
        name,
        image: 'registry.example/service:1',
        command: ['/service'],
        replicas: 2,
      });
      assert.equal(response.statusCode, 201, response.body);
      created.push(response.json() as { deploymentId: string; name: string });
    }
    const [first, second] = created as [(typeof created)[0], (typeof created)[0]];
    await waitFor('both Running', async () => {
      const list = (await call('GET', `/workspaces/${ws}/deployments`)).json() as { status: string }[];
      return list.every((d) => d.status === 'Running');
    });
    for (const d of created) assert.equal(await secretToken(d), before.token1.value);

    // New pods (on Token 2) stay Pending until released: the first move cannot finish yet.
    readiness.hold((pod) => tokenOf(pod).tokenId === before.token2.id);
    const plan = await call('GET', `/workspaces/${ws}/streaming-tokens/rotation-plan`);
    assert.equal(plan.json().recommendedMode, 'zero-downtime');
    const started = await call(
      'POST',
      `/workspaces/${ws}/streaming-tokens/rotations`,
      { mode: 'zero-downtime', quietSeconds: 1 },
      { 'if-match': String(plan.headers.etag) },
    );
    assert.equal(started.statusCode, 202, started.body);
    const id = started.json().rotationId as string;

    await waitFor('the first Deployment rolling to Token 2', async () => {
      const deployment = await live(first);
      return (
        deployment.spec!.template.metadata!.annotations![annotation.tokenId] === before.token2.id &&
        (deployment.status?.updatedReplicas ?? 0) >= 1
      );
    });
    let now = await run(id);
    assert.deepEqual(
      now.steps[0].deployments.map((d: { name: string; state: string }) => `${d.name}:${d.state}`),
      ['first:moving', 'second:pending'],
    );
    assert.equal(await templateToken(second), before.token1.id, 'the second waits for the first');
    assert.equal(await secretToken(second), before.token1.value);
    assert.equal(await secretToken(first), before.token2.value, 'the Secret first, then the roll');
    const midway = await live(first);
    assert.equal(rolledOut(midway), false);
    assert.equal(midway.status?.availableReplicas, 2, 'the old pods serve while the new one is not ready');

    // Release the first: its rollout completes, and only then does the second start to move.
    readiness.hold(
      (pod) => tokenOf(pod).tokenId === before.token2.id && tokenOf(pod).deploymentId === second.deploymentId,
    );
    await waitFor(
      'the second Deployment rolling to Token 2',
      async () => (await templateToken(second)) === before.token2.id,
    );
    assert.equal(rolledOut(await live(first)), true, 'the first rollout had completed');
    now = await run(id);
    assert.deepEqual(
      now.steps[0].deployments.map((d: { name: string; state: string }) => `${d.name}:${d.state}`),
      ['first:done', 'second:moving'],
    );
    const firstView = (await call('GET', `/workspaces/${ws}/deployments/${first.deploymentId}`)).json();
    assert.deepEqual(firstView.runningTokenIds, [before.token2.id]);
    assert.equal(firstView.replicasReady, 2);

    readiness.release();
    const done = await waitFor('the run to end', async () => {
      const state = await run(id);
      return state.status !== 'running' && state;
    });
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.deepEqual(
      done.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`),
      ['move-deployments:done', 'wait-quiet:done', 'rotate:done', 'restart-deployments:skipped'],
    );
    assert.equal(rolledOut(await live(second)), true);

    const after = (await call('GET', `/workspaces/${ws}/streaming-tokens`)).json();
    assert.equal(after.token1.id, before.token2.id, 'Token 2 took the place of Token 1');
    const old = await h.inject({
      method: 'GET',
      url: `/workspaces/${ws}`,
      headers: bearer(before.token1.value),
    });
    assert.equal(old.statusCode, 401, 'the old Token 1 is refused');
    for (const d of created) {
      const view = (await call('GET', `/workspaces/${ws}/deployments/${d.deploymentId}`)).json();
      assert.equal(view.status, 'Running');
      assert.equal(view.tokenSlot, 1);
      assert.equal(view.restartRequired, false);
      assert.equal(await secretToken(d), before.token2.value);
    }
  });
});
