import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairTag, parseIfMatch, planRotation } from './rotation.ts';

const t = (id: string, extra = '') => ({ id, extra });

describe('planRotation', () => {
  it('deactivates Token 1, promotes Token 2, and makes the fresh token the new Token 2', () => {
    const current = { token1: t('a', 'one'), token2: t('b', 'two') };
    const plan = planRotation(current, t('c', 'three'));
    assert.deepEqual(plan, {
      deactivate: t('a', 'one'),
      promote: t('b', 'two'),
      next: { token1: t('b', 'two'), token2: t('c', 'three') },
    });
    // The input pair is not modified.
    assert.deepEqual(current, { token1: t('a', 'one'), token2: t('b', 'two') });
  });

  it('chains: two rotations leave only the last two tokens', () => {
    const first = planRotation({ token1: t('a'), token2: t('b') }, t('c'));
    const second = planRotation(first.next, t('d'));
    assert.equal(second.deactivate.id, 'b');
    assert.deepEqual([second.next.token1.id, second.next.token2.id], ['c', 'd']);
  });

  it('refuses a "fresh" token that is one of the current pair', () => {
    const current = { token1: t('a'), token2: t('b') };
    assert.throws(() => planRotation(current, t('a')), TypeError);
    assert.throws(() => planRotation(current, t('b')), TypeError);
  });
});

describe('pairTag', () => {
  it('names the pair in order, so a rotation changes it and swapped slots differ', () => {
    assert.equal(pairTag({ token1: t('st-a'), token2: t('st-b') }), 'st-a.st-b');
    assert.notEqual(
      pairTag({ token1: t('st-a'), token2: t('st-b') }),
      pairTag({ token1: t('st-b'), token2: t('st-a') }),
    );
    const plan = planRotation({ token1: t('st-a'), token2: t('st-b') }, t('st-c'));
    assert.notEqual(pairTag(plan.next), 'st-a.st-b');
  });
});

describe('parseIfMatch', () => {
  const cases: [string | undefined, string | null][] = [
    [undefined, null],
    ['', null],
    ['   ', null],
    ['"st-a.st-b"', 'st-a.st-b'],
    ['W/"st-a.st-b"', 'st-a.st-b'],
    ['  "st-a.st-b"  ', 'st-a.st-b'],
    ['st-a.st-b', 'st-a.st-b'],
    [' st-a.st-b ', 'st-a.st-b'],
    ['""', ''],
    // Not a wildcard: `*` names no pair, so it cannot rotate blindly.
    ['*', '*'],
    // A list is not one pair: kept whole, it matches no tag.
    ['"a.b", "c.d"', '"a.b", "c.d"'],
    ['"unterminated', '"unterminated'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(parseIfMatch(header), expected);
    });
  }
});
