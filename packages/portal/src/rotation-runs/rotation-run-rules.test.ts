import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeploymentInstance, DeploymentRecord, TokenUsageRecord } from '../storage/storage.ts';
import { deploymentsOn, hasLeft, outsideClients, quietVerdict, stepsOf } from './rotation-run-rules.ts';

const now = new Date('2026-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const instance = (tokenId: string, overrides: Partial<DeploymentInstance> = {}): DeploymentInstance => ({
  instanceId: `i-${Math.random()}`,
  replica: 0,
  pid: 1,
  startTicks: '1',
  tokenId,
  generation: 2,
  specVersion: 1,
  startedAt: ago(60).toISOString(),
  readyAt: ago(50).toISOString(),
  stopping: false,
  ...overrides,
});
const deployment = (
  tokenId: string,
  instances: DeploymentInstance[],
  overrides: Partial<DeploymentRecord> = {},
) =>
  ({
    deploymentId: 'dep-1',
    workspaceId: 'ws',
    name: 'svc',
    spec: { command: ['x'], workingDirectory: null, variables: {}, replicas: 1 },
    specVersion: 1,
    desiredState: 'running',
    tokenId,
    generation: 2,
    observed: { status: 'Running', statusDetail: null, restartCount: 0, lastExit: null, instances },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  }) as DeploymentRecord;
const use = (secondsAgo: number, deploymentId: string | null = null): TokenUsageRecord => ({
  tokenId: 't1',
  clientKey: `k${secondsAgo}`,
  userAgent: `agent-${secondsAgo}`,
  address: '10.0.0.1',
  deploymentId,
  lastUsedAt: ago(secondsAgo),
});

describe('rotation run rules', () => {
  it('has the steps of each mode in order', () => {
    assert.deepEqual(stepsOf['zero-downtime'], [
      'move-deployments',
      'wait-quiet',
      'rotate',
      'restart-deployments',
    ]);
    assert.deepEqual(stepsOf['restart-deployments'], ['rotate', 'restart-deployments']);
  });

  it('counts a deployment on a token by its setting or by any instance still running with it', () => {
    const set = deployment('t1', []);
    const lingering = deployment('t2', [instance('t1', { stopping: true })]);
    const gone = deployment('t2', [instance('t2')]);
    assert.deepEqual(deploymentsOn([set, lingering, gone], 't1'), [set, lingering]);
  });

  it('a deployment has left a token once nothing runs on it and it is up on the new one', () => {
    assert.equal(
      hasLeft(deployment('t2', [instance('t1'), instance('t2')]), 't1'),
      false,
      'old still running',
    );
    assert.equal(
      hasLeft(deployment('t2', [instance('t2', { readyAt: null })]), 't1'),
      false,
      'new not ready',
    );
    assert.equal(hasLeft(deployment('t2', [instance('t2')]), 't1'), true);
    assert.equal(hasLeft(deployment('t1', [instance('t2')]), 't1'), false, 'still set to the old token');
    assert.equal(
      hasLeft(deployment('t2', [], { desiredState: 'stopped' }), 't1'),
      true,
      'stopped: nothing to wait for',
    );
    const crashing = deployment('t2', []);
    crashing.observed.status = 'Error';
    assert.equal(hasLeft(crashing, 't1'), true, 'crash-looping on its new token is not the token’s matter');
  });

  it('is quiet only with no deployment on the token and no use within the window', () => {
    const quiet = quietVerdict({ usage: [use(700)], deploymentsOnToken: [], quietSeconds: 600, now });
    assert.equal(quiet.verdict, 'unused');
    assert.deepEqual(quiet.clients, []);
    const busy = quietVerdict({
      usage: [use(700), use(30), use(5)],
      deploymentsOnToken: [],
      quietSeconds: 600,
      now,
    });
    assert.equal(busy.verdict, 'in-use');
    assert.deepEqual(
      busy.clients.map((c) => c.userAgent),
      ['agent-5', 'agent-30'],
      'newest first, only within the window',
    );
    assert.deepEqual(busy.quietUntil, new Date(ago(5).getTime() + 600_000));
    const withDeployment = quietVerdict({
      usage: [],
      deploymentsOnToken: [deployment('t1', [])],
      quietSeconds: 600,
      now,
    });
    assert.equal(withDeployment.verdict, 'in-use');
    assert.match(withDeployment.summary, /1 deployment\(s\) run on Token 1 \(svc\)/);
  });

  it('outside clients are the ones that are not the workspace’s own deployments', () => {
    const verdict = quietVerdict({
      usage: [use(5, 'dep-1'), use(6), use(7, 'dep-elsewhere')],
      deploymentsOnToken: [],
      quietSeconds: 60,
      now,
    });
    assert.deepEqual(
      outsideClients(verdict.clients, [deployment('t1', [])]).map((c) => c.userAgent),
      ['agent-6', 'agent-7'],
    );
  });
});
