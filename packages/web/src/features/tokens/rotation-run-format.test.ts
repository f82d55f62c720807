import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RotationRun, RotationRunStep } from '@streamgate/contract';
import { canCancel, canForce, formatDuration, runSummary } from './rotation-run-format.ts';

type StepName = RotationRunStep['name'];
type StepState = RotationRunStep['state'];

function step(name: StepName, state: StepState): RotationRunStep {
  return {
    name,
    state,
    startedAt: null,
    endedAt: null,
    detail: null,
    deployments: [],
    clients: [],
    quietUntil: null,
  };
}

function run(states: StepState[], extra: Partial<RotationRun> = {}): RotationRun {
  const names: StepName[] = ['move-deployments', 'wait-quiet', 'rotate', 'restart-deployments'];
  return {
    rotationId: 'rot-1',
    workspaceId: 'ws',
    mode: 'zero-downtime',
    status: 'running',
    quietSeconds: 5,
    timeoutSeconds: 605,
    force: false,
    startedBy: 'admin@example.com',
    error: null,
    fromTokenIds: { token1: 't1', token2: 't2' },
    brokerCutoff: null,
    steps: states.map((s, i) => step(names[i]!, s)),
    createdAt: '2026-12-01T10:00:00Z',
    updatedAt: '2026-12-01T10:00:00Z',
    endedAt: null,
    ...extra,
  };
}

describe('rotation run format', () => {
  it('formats durations', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(1250), '1.3 s');
    assert.equal(formatDuration(2000), '2 s');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(185_000), '3 min 5 s');
  });

  it('says where a run is', () => {
    assert.equal(
      runSummary(run(['done', 'running', 'pending', 'pending'])),
      'Step 2 of 4: Wait until Token 1 is quiet.',
    );
    assert.equal(
      runSummary(run(['done', 'done', 'done', 'done'], { status: 'succeeded' })),
      'The rotation succeeded.',
    );
    assert.match(runSummary(run(['failed'], { status: 'failed', error: 'timed out' })), /failed: timed out/);
  });

  it('offers cancel until the rotate step starts, force while waiting', () => {
    assert.equal(canCancel(run(['done', 'running', 'pending', 'pending'])), true);
    assert.equal(canCancel(run(['done', 'done', 'running', 'pending'])), false);
    assert.equal(canForce(run(['done', 'running', 'pending', 'pending'])), true);
    assert.equal(canForce(run(['done', 'running', 'pending', 'pending'], { force: true })), false);
    assert.equal(canForce(run(['done', 'done', 'running', 'pending'])), false);
    assert.equal(canCancel(run(['done', 'running', 'pending', 'pending'], { status: 'cancelled' })), false);
  });
});
