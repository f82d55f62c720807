import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maxWorkspaceIdLength, workspaceIdProblem } from '@streamgate/contract';
import { prefixCollision } from './workspace-id.ts';

describe('workspaceIdProblem', () => {
  const valid = ['a', 'acme', 'acme-dev', 'a1-b2-c3', '0', '123-456', 'x'.repeat(64)];
  for (const id of valid) {
    it(`accepts ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}`, () => {
      assert.equal(workspaceIdProblem(id), null);
    });
  }

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['x'.repeat(65), /at most 64/],
    ['Acme', /lowercase/],
    ['acme_dev', /lowercase/],
    ['acme--dev', /lowercase/],
    ['-acme', /lowercase/],
    ['acme-', /lowercase/],
    ['acme dev', /lowercase/],
    ['acme.dev', /lowercase/],
    ['acmé', /lowercase/],
    ['acme\n', /lowercase/],
    ['../etc', /lowercase/],
  ];
  for (const [id, message] of invalid) {
    it(`refuses ${JSON.stringify(id.length > 20 ? `${id.slice(0, 8)}…(${id.length})` : id)}`, () => {
      assert.match(workspaceIdProblem(id) ?? '', message);
    });
  }

  it('allows exactly 64 characters', () => {
    assert.equal(maxWorkspaceIdLength, 64);
    assert.equal(workspaceIdProblem(`${'ab-'.repeat(21)}a`), null);
    assert.notEqual(workspaceIdProblem(`${'ab-'.repeat(21)}ab`), null);
  });
});

describe('prefixCollision', () => {
  it('refuses an id that extends an existing one with a hyphen, and the other way round', () => {
    assert.equal(prefixCollision('acme-prod', ['globex', 'acme']), 'acme');
    assert.equal(prefixCollision('acme', ['globex', 'acme-prod']), 'acme-prod');
    assert.equal(prefixCollision('a-b-c', ['a']), 'a');
    assert.equal(prefixCollision('a', ['a-b-c']), 'a-b-c');
  });

  it('allows ids that share letters but not a hyphen boundary', () => {
    assert.equal(prefixCollision('acmeprod', ['acme']), null);
    assert.equal(prefixCollision('acme', ['acmeprod']), null);
    assert.equal(prefixCollision('acme-prod', ['acme-pro']), null);
    assert.equal(prefixCollision('acme-pro', ['acme-prod']), null);
    assert.equal(prefixCollision('prod-acme', ['acme']), null);
    assert.equal(prefixCollision('acme', []), null);
  });

  it('leaves duplicates to the caller (a conflict, not a collision)', () => {
    assert.equal(prefixCollision('acme', ['acme']), null);
  });
});
