import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, deriveStatus, planInstances, type SeenInstance } from './instance-plan.ts';

const wanted = { desiredState: 'running' as const, tokenId: 't2', generation: 3, replicas: 2 };
const seen = (id: string, replica: number, overrides: Partial<SeenInstance> = {}): SeenInstance => ({
  instanceId: id,
  replica,
  tokenId: 't2',
  generation: 3,
  ready: true,
  stopping: false,
  ...overrides,
});
const always = () => true;

describe('instance plan', () => {
  it('starts what is missing and leaves what is current', () => {
    assert.deepEqual(planInstances(wanted, [], always), { start: [0, 1], stop: [] });
    assert.deepEqual(planInstances(wanted, [seen('a', 0), seen('b', 1)], always), { start: [], stop: [] });
    assert.deepEqual(
      planInstances(wanted, [seen('a', 0)], () => false),
      { start: [], stop: [] },
      'in backoff',
    );
  });

  it('replaces an old instance only once the new one of its replica is ready', () => {
    const old = seen('old', 0, { tokenId: 't1', generation: 2 });
    assert.deepEqual(planInstances(wanted, [old, seen('b', 1)], always), { start: [0], stop: [] });
    const starting = seen('new', 0, { ready: false });
    assert.deepEqual(planInstances(wanted, [old, starting, seen('b', 1)], always), { start: [], stop: [] });
    assert.deepEqual(planInstances(wanted, [old, seen('new', 0), seen('b', 1)], always), {
      start: [],
      stop: ['old'],
    });
  });

  it('stops extras, replicas beyond the count, and everything when stopped', () => {
    const plan = planInstances(
      { ...wanted, replicas: 1 },
      [seen('a', 0), seen('a2', 0, { ready: false }), seen('b', 1)],
      always,
    );
    assert.deepEqual(plan.stop.sort(), ['a2', 'b']);
    assert.deepEqual(
      planInstances(
        { ...wanted, desiredState: 'stopped' },
        [seen('a', 0), seen('b', 1, { stopping: true })],
        always,
      ),
      { start: [], stop: ['a'] },
    );
  });

  it('names the status in the same words for every runner', () => {
    const base = { wanted, backoff: null, completed: false, nowMs: 10_000 };
    assert.equal(deriveStatus({ ...base, instances: [seen('a', 0), seen('b', 1)] }).status, 'Running');
    assert.equal(deriveStatus({ ...base, instances: [seen('a', 0)] }).status, 'Starting');
    const error = deriveStatus({
      ...base,
      instances: [],
      backoff: { untilMs: 14_000, reason: 'exited with code 1' },
    });
    assert.deepEqual(error, { status: 'Error', detail: 'exited with code 1; restarting in 4 s' });
    assert.equal(deriveStatus({ ...base, instances: [], completed: true }).status, 'Completed');
    const stopped = { ...base, wanted: { ...wanted, desiredState: 'stopped' as const } };
    assert.equal(deriveStatus({ ...stopped, instances: [] }).status, 'Stopped');
    assert.equal(
      deriveStatus({ ...stopped, instances: [seen('a', 0, { stopping: true })] }).status,
      'Stopping',
    );
  });

  it('backs off 1 s, 2 s, 4 s ... up to a minute', () => {
    assert.deepEqual([1, 2, 3, 7, 20].map(backoffMs), [1000, 2000, 4000, 60_000, 60_000]);
  });
});
