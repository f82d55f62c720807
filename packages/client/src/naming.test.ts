import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from './errors.ts';
import { anonymousGroup, checkStreamId, withWorkspacePrefix } from './naming.ts';

describe('names in a workspace', () => {
  it('prefixes groups and transactional ids with the workspace once', () => {
    assert.equal(withWorkspacePrefix('acme', 'billing'), 'acme-billing');
    assert.equal(withWorkspacePrefix('acme', 'acme-billing'), 'acme-billing');
    assert.equal(withWorkspacePrefix('acme', 'acmebilling'), 'acme-acmebilling');
    assert.match(anonymousGroup('acme'), /^acme-[0-9a-f]{10}$/);
  });

  it('rejects stream ids that cannot be keys', () => {
    for (const bad of ['', '   ', 'a\nb', 'x'.repeat(257), 42]) {
      assert.throws(() => checkStreamId(bad), InvalidArgumentError);
    }
    assert.doesNotThrow(() => checkStreamId('car-1/lap 2'));
  });
});
