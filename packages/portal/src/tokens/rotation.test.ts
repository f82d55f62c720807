import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairTag, planRotation } from './rotation.ts';

const t = (id: string, slot: 1 | 2 | null = 2, extra = '') => ({ id, slot, deactivatedAt: null, extra });
const at = new Date('2026-03-01T12:00:00Z');

describe('planRotation', () => {
  it('deactivates Token 1, promotes Token 2, makes the fresh token Token 2 and moves deployments to the promoted one', () => {
    const current = { token1: t('a', 1, 'one'), token2: t('b', 2, 'two') };
    const plan = planRotation(current, t('c', null, 'three'), at);
    assert.deepEqual(plan, {
      from: { token1: 'a', token2: 'b' },
      deactivate: { id: 'a', slot: null, deactivatedAt: at },
      promote: { id: 'b', slot: 1, deactivatedAt: null },
      create: { id: 'c', slot: 2, deactivatedAt: null, extra: 'three' },
      moveDeployments: { from: 'a', to: 'b' },
      at,
    });
    // The input pair is not modified.
    assert.deepEqual(current, { token1: t('a', 1, 'one'), token2: t('b', 2, 'two') });
  });

  it('chains: two rotations leave only the last two tokens', () => {
    const first = planRotation({ token1: t('a'), token2: t('b') }, t('c'), at);
    const second = planRotation({ token1: first.promote, token2: first.create }, t('d'), at);
    assert.equal(second.deactivate.id, 'b');
    assert.deepEqual([second.promote.id, second.create.id], ['c', 'd']);
    assert.deepEqual(second.moveDeployments, { from: 'b', to: 'c' });
  });

  it('refuses a "fresh" token that is one of the current pair', () => {
    const current = { token1: t('a'), token2: t('b') };
    assert.throws(() => planRotation(current, t('a'), at), TypeError);
    assert.throws(() => planRotation(current, t('b'), at), TypeError);
  });
});

describe('pairTag', () => {
  it('names the pair in order, so a rotation changes it and swapped slots differ', () => {
    assert.equal(pairTag({ token1: t('st-a'), token2: t('st-b') }), 'st-a.st-b');
    assert.notEqual(
      pairTag({ token1: t('st-a'), token2: t('st-b') }),
      pairTag({ token1: t('st-b'), token2: t('st-a') }),
    );
    const plan = planRotation({ token1: t('st-a'), token2: t('st-b') }, t('st-c'), at);
    assert.notEqual(pairTag({ token1: plan.promote, token2: plan.create }), 'st-a.st-b');
  });
});
