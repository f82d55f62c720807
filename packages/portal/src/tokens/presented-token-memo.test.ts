import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPresentedTokenMemo } from './presented-token-memo.ts';

describe('presented token memo', () => {
  it('answers only for exactly the token the same connection presented last', () => {
    const memo = createPresentedTokenMemo();
    const one = {};
    const two = {};
    memo.remember(one, 'sgs_a', 'hash-a');
    assert.equal(memo.hashOf(one, 'sgs_a'), 'hash-a');
    assert.equal(memo.hashOf(two, 'sgs_a'), undefined, 'another connection learns nothing');
    assert.equal(memo.hashOf(one, 'sgs_b'), undefined);
    assert.equal(memo.hashOf(one, 'sgs_a '), undefined);
    memo.remember(one, 'sgs_b', 'hash-b');
    assert.equal(memo.hashOf(one, 'sgs_a'), undefined, 'one token per connection: the last one');
    assert.equal(memo.hashOf(one, 'sgs_b'), 'hash-b');
  });

  it('forgets a connection’s token when told to', () => {
    const memo = createPresentedTokenMemo();
    const connection = {};
    memo.remember(connection, 'sgs_a', 'hash-a');
    memo.forget(connection);
    assert.equal(memo.hashOf(connection, 'sgs_a'), undefined);
  });
});
