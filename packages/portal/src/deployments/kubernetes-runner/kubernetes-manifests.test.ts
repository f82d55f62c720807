import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { DeploymentRecord } from '../../storage/storage.ts';
import { annotation, appliedMark, objectNames, parseApplied, wantedObjects } from './kubernetes-manifests.ts';
import { observeDeployment } from './kubernetes-observation.ts';

/** The pure halves of the Kubernetes runner: what it would write, and how it reads pods back. */
const record = (changes: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  deploymentId: 'dep-AbC123xYz',
  workspaceId: 'acme-prod',
  name: 'orders',
  spec: {
    image: 'registry.example/orders:3',
    command: ['node', 'main.js'],
    workingDirectory: null,
    variables: {},
    replicas: 2,
  },
  specVersion: 1,
  desiredState: 'running',
  tokenId: 'st-1',
  generation: 1,
  observed: { status: 'Starting', statusDetail: null, restartCount: 0, lastExit: null, instances: [] },
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...changes,
});
const wanted = (d: DeploymentRecord, token = 'sgs_token-one') =>
  wantedObjects({
    deployment: d,
    namespace: 'ns',
    token,
    variables: { PLAIN: 'p', HIDDEN: 'h' },
    secretVariableNames: ['HIDDEN'],
    portalUrl: 'http://portal.test',
    stopGraceSeconds: 10,
  });

describe('kubernetes manifests', () => {
  it('names are valid Kubernetes names, distinct for ids that differ only in case', () => {
    const a = objectNames(record());
    const b = objectNames(record({ deploymentId: 'dep-abc123xyz' }));
    assert.match(a.deployment, /^orders-[0-9a-f]{10}$/);
    assert.notEqual(a.deployment, b.deployment);
    assert.equal(a.secret, `${a.deployment}-env`);
  });

  it('the token and secret variables go in the Secret only', () => {
    const objects = wanted(record());
    assert.ok(!JSON.stringify(objects.deployment).includes('sgs_token-one'));
    assert.ok(!JSON.stringify(objects.deployment).includes('"h"'));
    assert.equal(objects.secret.stringData?.Quix__Sdk__Token, 'sgs_token-one');
    assert.equal(objects.secret.stringData?.HIDDEN, 'h');
    assert.equal(objects.secret.stringData?.PLAIN, undefined);
  });

  it('the digest moves with what Streamgate decides: restart, token, stop, spec; not with nothing', () => {
    const base = wanted(record()).digest;
    assert.equal(wanted(record()).digest, base);
    for (const changed of [
      record({ generation: 2 }),
      record({ tokenId: 'st-2' }),
      record({ desiredState: 'stopped' }),
      record({ specVersion: 2 }),
    ])
      assert.notEqual(wanted(changed).digest, base);
    const stopped = wanted(record({ desiredState: 'stopped' }));
    assert.equal(stopped.deployment.spec?.replicas, 0);
    assert.deepEqual(
      stopped.deployment.spec?.template,
      wanted(record()).deployment.spec?.template,
      'a stop changes replicas only, not the template (no rollout)',
    );
  });

  it('the applied mark reads back, and anything else reads as not applied', () => {
    const digest = 'a'.repeat(64);
    assert.deepEqual(parseApplied(appliedMark(digest, 7)), { digest, generation: 7 });
    assert.equal(parseApplied('edited by hand'), null);
    assert.equal(parseApplied(undefined), null);
  });
});

describe('kubernetes observation', () => {
  const pod = (
    name: string,
    tokenId: string,
    ready: boolean,
    extra: Partial<V1Pod['status']> = {},
  ): V1Pod => ({
    metadata: {
      name,
      uid: name,
      creationTimestamp: new Date('2026-01-01T00:00:00Z'),
      annotations: {
        [annotation.tokenId]: tokenId,
        [annotation.generation]: '1',
        [annotation.specVersion]: '1',
      },
    },
    status: {
      phase: 'Running',
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          lastTransitionTime: new Date('2026-01-01T00:00:05Z'),
        },
      ],
      ...extra,
    },
  });
  const observe = (pods: V1Pod[], d = record()) =>
    observeDeployment({ record: d, live: null, pods, outside: null, nowMs: 0 });

  it('one instance per pod; ready current pods take the low replica indexes', () => {
    const d = record({ tokenId: 'st-2', generation: 2 });
    const pods = [pod('old-a', 'st-1', true), pod('new-a', 'st-2', true), pod('new-b', 'st-2', false)];
    for (const p of pods.filter((x) => x.metadata!.name!.startsWith('new')))
      p.metadata!.annotations![annotation.generation] = '2';
    const observed = observe(pods, d);
    assert.deepEqual(
      observed.instances.map((i) => [i.instanceId, i.replica, i.readyAt !== null]),
      [
        ['new-a', 0, true],
        ['old-a', 1, true],
        ['new-b', 2, false],
      ],
    );
    assert.equal(observed.status, 'Starting');
  });

  it('a container that cannot start is an Error that says why; its last exit is kept', () => {
    const crashing = pod('a', 'st-1', false, {
      containerStatuses: [
        {
          name: 'service',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
          lastState: { terminated: { exitCode: 3, finishedAt: new Date('2026-01-01T00:01:00Z') } },
        },
      ],
    });
    const observed = observe([crashing, pod('b', 'st-1', true)]);
    assert.equal(observed.status, 'Error');
    assert.match(observed.statusDetail!, /pod a: CrashLoopBackOff: back-off 40s/);
    assert.equal(observed.restartCount, 4);
    assert.deepEqual(observed.lastExit, { code: 3, signal: null, at: '2026-01-01T00:01:00.000Z' });
  });

  it('what Streamgate leaves alone is an Error with its reason, pods still listed', () => {
    const observed = observeDeployment({
      record: record(),
      live: null,
      pods: [pod('a', 'st-1', true)],
      outside: 'changed outside Streamgate',
      nowMs: 0,
    });
    assert.equal(observed.status, 'Error');
    assert.equal(observed.statusDetail, 'changed outside Streamgate');
    assert.equal(observed.instances.length, 1);
  });
});
