import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendBounded, createLineSplitter } from './log-lines.ts';

describe('log lines', () => {
  it('gives a line only once it is complete, across chunks', () => {
    const split = createLineSplitter();
    assert.deepEqual(split.push('tick 1\ntick'), ['tick 1']);
    assert.deepEqual(split.push(' 2\r\n'), ['tick 2']);
    assert.deepEqual(split.push('\n\npartial'), ['', '']);
    assert.deepEqual(split.flush(), ['partial']);
    assert.deepEqual(split.flush(), []);
  });

  it('keeps the newest lines only', () => {
    assert.deepEqual(appendBounded(['a', 'b'], ['c', 'd'], 3), ['b', 'c', 'd']);
    assert.deepEqual(appendBounded(['a'], ['b'], 3), ['a', 'b']);
  });
});
