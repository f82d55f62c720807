import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { auditActions } from './audit.ts';

describe('audit actions', () => {
  it('docs/api.md lists every action the contract names, in its order', () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('Actions: '));
    assert.ok(line, 'docs/api.md has an "Actions:" line');
    const listed = [...line.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]);
    assert.deepEqual(listed, [...auditActions]);
  });
});
