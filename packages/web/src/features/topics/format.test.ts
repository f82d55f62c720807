import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatMinutes } from './format.ts';

describe('topic configuration formatting', () => {
  it('shows retention times in the largest whole unit', () => {
    assert.equal(formatMinutes(10080), '7 days');
    assert.equal(formatMinutes(1440), '1 day');
    assert.equal(formatMinutes(120), '2 h');
    assert.equal(formatMinutes(90), '90 min');
    assert.equal(formatMinutes(-1), 'forever');
    assert.equal(formatMinutes(null), 'default');
  });

  it('shows sizes in binary units', () => {
    assert.equal(formatBytes(52428800), '50 MiB');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(-1), 'unlimited');
  });
});
