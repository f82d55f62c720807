import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIfMatch } from './if-match.ts';

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
